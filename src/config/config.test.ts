import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('falls back to the embedded defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.env).toBe('development');
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.http.port).toBe(3000);
    expect(config.http.publicUrl).toBe('http://localhost:3000');
    expect(config.dataDir).toBe(path.resolve('/srv/app/data'));
    expect(config.database).toEqual({ kind: 'sqlite', path: path.resolve('/srv/app/data/servelo.db') });
    expect(config.worker.inProcess).toBe(true);
    expect(config.demo.seedOnStart).toBe(true);
    expect(config.http.trustProxy).toBe(false);
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash from an explicit one', () => {
    expect(loadConfig({ PORT: '8080' }).http.publicUrl).toBe('http://localhost:8080');
    const config = loadConfig({ PUBLIC_URL: 'https://desk.example.com/' });
    expect(config.http.publicUrl).toBe('https://desk.example.com');
    expect(config.http.publicOrigin).toBe('https://desk.example.com');
  });

  it('chooses PostgreSQL from DATABASE_URL, and SQLite from a sqlite: URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/servelo', DATABASE_POOL_MAX: '4' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/servelo',
      poolMax: 4,
      connectTimeoutMs: 3_000,
      statementTimeoutMs: 10_000,
    });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@db/s', DATABASE_CONNECT_TIMEOUT_MS: '500', DATABASE_STATEMENT_TIMEOUT_MS: '2000' }).database,
    ).toMatchObject({ connectTimeoutMs: 500, statementTimeoutMs: 2_000 });
    expect(loadConfig({ DATABASE_URL: 'sqlite:./x/y.db' }, '/srv/app').database).toEqual({ kind: 'sqlite', path: '/srv/app/x/y.db' });
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUBLIC_URL: 'ftp://x',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      WORKER_IN_PROCESS: 'maybe',
    });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT: must be a whole number/);
    expect(problems.join('\n')).toMatch(/PUBLIC_URL: must be an absolute http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL: must start with/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL: must be one of/);
    expect(problems.join('\n')).toMatch(/WORKER_IN_PROCESS: must be true or false/);
  });

  it('sends HSTS without includeSubDomains unless HSTS_INCLUDE_SUBDOMAINS says so', () => {
    expect(loadConfig({}).http.hstsIncludeSubDomains).toBe(false);
    expect(loadConfig({ HSTS_INCLUDE_SUBDOMAINS: 'true' }).http.hstsIncludeSubDomains).toBe(true);
    expect(loadConfig({ HSTS_INCLUDE_SUBDOMAINS: 'false' }).http.hstsIncludeSubDomains).toBe(false);
    expect(problemsOf({ HSTS_INCLUDE_SUBDOMAINS: 'maybe' }).join()).toMatch(/HSTS_INCLUDE_SUBDOMAINS: must be true or false/);
  });

  it('refuses TRUST_PROXY=true and accepts hop counts and address lists', () => {
    expect(problemsOf({ TRUST_PROXY: 'true' }).join()).toMatch(/TRUST_PROXY: must be a hop count/);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).http.trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('requires PUBLIC_URL in production and does not seed demo data there', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'PUBLIC_URL: is required in production (links in emails are built from it)',
      'SMTP_URL: is required in production (the dev mailbox is for development only)',
      'APP_SECRET: is required in production (at least 32 random characters)',
      'INBOUND_DOMAIN: is required in production',
      'MAIL_FROM: is required in production',
    ]);
    const production = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://desk.example.com',
      SMTP_URL: 'smtp://relay:587',
      MAIL_FROM: 'portal@desk.example.com',
      APP_SECRET: 'x'.repeat(40),
      INBOUND_DOMAIN: 'reply.desk.example.com',
    });
    expect(production.inboundDomain).toBe('reply.desk.example.com');
    expect(production.demo.seedOnStart).toBe(false);
    expect(production.mail).toEqual({ smtpUrl: 'smtp://relay:587', smtpMaxConnections: 5, fromAddress: 'portal@desk.example.com' });
  });

  it('uses the dev mailbox and in-memory rate limits by default, with 7/30-day customer sessions', () => {
    const config = loadConfig({});
    expect(config.mail.smtpUrl).toBeNull();
    expect(config.redisUrl).toBeNull();
    expect(config.sessions).toEqual({ portalIdleMs: 7 * 86_400_000, portalAbsoluteMs: 30 * 86_400_000 });
    expect(problemsOf({ PORTAL_SESSION_IDLE_DAYS: '40' })).toEqual([
      'PORTAL_SESSION_IDLE_DAYS: must not exceed PORTAL_SESSION_ABSOLUTE_DAYS',
    ]);
    expect(problemsOf({ SMTP_URL: 'http://x', REDIS_URL: 'tcp://x' })).toHaveLength(2);
  });

  it('gives a request 15 minutes to arrive unless HTTP_REQUEST_TIMEOUT_MS says otherwise', () => {
    expect(loadConfig({}).http.requestTimeoutMs).toBe(900_000);
    expect(loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '60000' }).http.requestTimeoutMs).toBe(60_000);
    expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '10' })).toHaveLength(1);
  });

  it('runs ten jobs side by side over five relay connections unless told otherwise', () => {
    expect(loadConfig({}).worker.concurrency).toBe(10);
    expect(loadConfig({}).mail.smtpMaxConnections).toBe(5);
    const tuned = loadConfig({ WORKER_CONCURRENCY: '25', SMTP_MAX_CONNECTIONS: '8' });
    expect([tuned.worker.concurrency, tuned.mail.smtpMaxConnections]).toEqual([25, 8]);
    expect(problemsOf({ WORKER_CONCURRENCY: '0', SMTP_MAX_CONNECTIONS: '500' })).toHaveLength(2);
  });

  it('scans uploads only when CLAMAV_URL names clamd over TCP or a unix socket', () => {
    expect(loadConfig({}).clamavUrl).toBeNull();
    expect(loadConfig({ CLAMAV_URL: 'tcp://127.0.0.1:3310' }).clamavUrl).toBe('tcp://127.0.0.1:3310');
    expect(loadConfig({ CLAMAV_URL: 'unix:/run/clamav/clamd.ctl' }).clamavUrl).toBe('unix:/run/clamav/clamd.ctl');
    for (const bad of ['http://clamav:3310', 'tcp://clamav', 'unix:clamd.ctl']) {
      expect(problemsOf({ CLAMAV_URL: bad }), bad).toEqual(['CLAMAV_URL: must be tcp://host:port or unix:/path/to/clamd.ctl']);
    }
  });

  it('limits each customer by default and takes PORTAL_LIMIT_* over the defaults, refusing zero and non-numbers', () => {
    expect(loadConfig({}).customerLimits).toEqual({
      submissionsPerMinute: 5,
      submissionsPerDay: 30,
      repliesPerMinute: 20,
      repliesPerDay: 300,
      closesPerMinute: 5,
      closesPerDay: 30,
      uploadsPerMinute: 60,
      uploadsPerDay: 500,
      pendingUploadMb: 200,
      uploadMbPerDay: 1000,
    });
    const set = loadConfig({ PORTAL_LIMIT_SUBMISSIONS_PER_DAY: '10', PORTAL_LIMIT_PENDING_UPLOAD_MB: '50' }).customerLimits;
    expect([set.submissionsPerDay, set.pendingUploadMb, set.repliesPerDay]).toEqual([10, 50, 300]);
    expect(problemsOf({ PORTAL_LIMIT_REPLIES_PER_MINUTE: '0', PORTAL_LIMIT_UPLOAD_MB_PER_DAY: 'lots' })).toHaveLength(2);
  });

  it('gives team sessions 12 hours idle and 7 days in all, and argon2id the OWASP cost outside tests', () => {
    expect(loadConfig({}).teamAuth).toEqual({
      sessionIdleMs: 12 * 3_600_000,
      sessionAbsoluteMs: 7 * 86_400_000,
      argon2: { memoryKib: 19_456, timeCost: 2 },
    });
    expect(loadConfig({ NODE_ENV: 'test' }).teamAuth.argon2).toEqual({ memoryKib: 1024, timeCost: 1 });
    expect(loadConfig({ TEAM_SESSION_IDLE_HOURS: '2', TEAM_SESSION_ABSOLUTE_DAYS: '1' }).teamAuth.sessionIdleMs).toBe(2 * 3_600_000);
    expect(problemsOf({ TEAM_SESSION_IDLE_HOURS: '48', TEAM_SESSION_ABSOLUTE_DAYS: '1' })).toEqual([
      'TEAM_SESSION_IDLE_HOURS: must not exceed TEAM_SESSION_ABSOLUTE_DAYS',
    ]);
    const production = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://desk.example.com',
      SMTP_URL: 'smtp://relay:587',
      MAIL_FROM: 'portal@desk.example.com',
      APP_SECRET: 'x'.repeat(40),
      INBOUND_DOMAIN: 'reply.desk.example.com',
    };
    expect(problemsOf({ ...production, ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '8' })).toHaveLength(1);
    expect(loadConfig({ ...production, ARGON2_MEMORY_KIB: '12288', ARGON2_TIME_COST: '3' }).teamAuth.argon2.memoryKib).toBe(12288);
  });

  it('stores files below DATA_DIR by default', () => {
    expect(loadConfig({}, '/srv/app').storage).toEqual({ kind: 'local', dir: path.resolve('/srv/app/data/files') });
    expect(loadConfig({ DATA_DIR: '/var/lib/servelo' }, '/srv/app').storage).toEqual({ kind: 'local', dir: '/var/lib/servelo/files' });
    // S3 settings without a bucket do not switch storage.
    expect(loadConfig({ S3_REGION: 'eu-west-1' }).storage.kind).toBe('local');
  });

  it('switches to S3 when S3_BUCKET is set, with defaults for region, path style and prefix', () => {
    const credentials = { S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: 'secret/key+example' };
    expect(loadConfig({ S3_BUCKET: 'servelo-files', ...credentials }).storage).toEqual({
      kind: 's3',
      endpoint: null,
      region: 'us-east-1',
      bucket: 'servelo-files',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret/key+example',
      forcePathStyle: false,
      prefix: null,
    });
    const minio = loadConfig({
      S3_BUCKET: 'servelo-files',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'eu-central-1',
      S3_FORCE_PATH_STYLE: 'true',
      S3_PREFIX: '/installations/acme/',
      ...credentials,
    }).storage;
    expect(minio).toMatchObject({
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-central-1',
      forcePathStyle: true,
      prefix: 'installations/acme',
    });
  });

  it('requires S3 credentials with S3_BUCKET and refuses bad S3 values', () => {
    expect(problemsOf({ S3_BUCKET: 'servelo-files' })).toEqual([
      'S3_ACCESS_KEY_ID: is required when S3_BUCKET is set',
      'S3_SECRET_ACCESS_KEY: is required when S3_BUCKET is set',
    ]);
    const problems = problemsOf({
      S3_BUCKET: 'Not A Bucket',
      S3_ENDPOINT: 'ftp://s3',
      S3_FORCE_PATH_STYLE: 'sometimes',
      S3_PREFIX: 'a/../b',
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/S3_BUCKET: must be a bucket name/);
    expect(problems.join('\n')).toMatch(/S3_ENDPOINT: must be an absolute http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/S3_FORCE_PATH_STYLE: must be true or false/);
    expect(problems.join('\n')).toMatch(/S3_PREFIX: must be path segments/);
  });

  it('treats empty strings as unset and returns a frozen object', () => {
    const config = loadConfig({ PORT: '', HOST: '' });
    expect(config.http.port).toBe(3000);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('configures the inbound mail doors: the SMTP listener on loopback 2525, off in tests unless a port is set, and the webhook secret', () => {
    const dev = loadConfig({}, '/srv/app');
    expect(dev.inbound.smtp).toEqual({ host: '127.0.0.1', port: 2525, tls: null, runIn: 'start' });
    expect(dev.inbound.maxBytes).toBe(25 * 1024 * 1024);
    expect(dev.inbound.webhookSecret).not.toBeNull();
    expect(dev.inbound.trustedRelays).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test' }).inbound).toMatchObject({ smtp: null, webhookSecret: null });
    expect(loadConfig({ NODE_ENV: 'test', INBOUND_SMTP_PORT: '2600' }).inbound.smtp?.port).toBe(2600);
    expect(loadConfig({ INBOUND_SMTP_PORT: 'off' }).inbound.smtp).toBeNull();
    expect(loadConfig({ INBOUND_SMTP_PORT: '0' }).inbound.smtp).toBeNull();
    const full = loadConfig(
      {
        INBOUND_SMTP_HOST: '0.0.0.0',
        INBOUND_SMTP_TLS_CERT: 'tls/cert.pem',
        INBOUND_SMTP_TLS_KEY: '/etc/tls/key.pem',
        INBOUND_SMTP_IN: 'worker',
        INBOUND_MAX_BYTES: '1048576',
        INBOUND_TRUSTED_RELAYS: 'MX.Provider.example, relay.example.org',
      },
      '/srv/app',
    );
    expect(full.inbound).toMatchObject({
      smtp: { host: '0.0.0.0', port: 2525, tls: { certFile: '/srv/app/tls/cert.pem', keyFile: '/etc/tls/key.pem' }, runIn: 'worker' },
      maxBytes: 1048576,
      trustedRelays: ['mx.provider.example', 'relay.example.org'],
    });
    expect(problemsOf({ NODE_ENV: 'production', INBOUND_SMTP_TLS_CERT: 'c.pem' })).toContain(
      'INBOUND_SMTP_TLS_CERT: and INBOUND_SMTP_TLS_KEY are set together (STARTTLS needs both)',
    );
    expect(problemsOf({ INBOUND_SMTP_PORT: '70000' })[0]).toMatch(/^INBOUND_SMTP_PORT: /);
    expect(problemsOf({ INBOUND_WEBHOOK_SECRET: 'short' })).toEqual(['INBOUND_WEBHOOK_SECRET: must be at least 32 characters']);
    expect(problemsOf({ INBOUND_TRUSTED_RELAYS: 'mx.example.com; other' })[0]).toMatch(/^INBOUND_TRUSTED_RELAYS: /);
    // In production nothing is guessed: without a secret the webhook does not exist.
    expect(
      loadConfig({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://desk.example.com',
        SMTP_URL: 'smtp://relay.example.com',
        APP_SECRET: 'x'.repeat(32),
        INBOUND_DOMAIN: 'reply.example.com',
        MAIL_FROM: 'desk@example.com',
      }).inbound.webhookSecret,
    ).toBeNull();
  });
});
