import path from 'node:path';
import { z } from 'zod';
import { parseClamdUrl } from '../platform/scanning/clamav-scanner.js';
import { CUSTOMER_LIMIT_DEFAULTS, CUSTOMER_LIMIT_MAX, type CustomerLimits } from './customer-limits.js';

export { CUSTOMER_LIMIT_DEFAULTS, CUSTOMER_LIMIT_MAX, type CustomerLimits };

/**
 * The only module that reads `process.env`. Everything else receives the frozen `Config`.
 * Unset variables fall back to the embedded defaults (SQLite, local files, dev mailbox) so that
 * `npm start` works on a fresh machine; production refuses to guess where a guess is unsafe.
 */

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolMax: number;
      /** Longest wait for a connection, and for one statement, before the request answers 503 (default 3 s and 10 s). */
      readonly connectTimeoutMs?: number;
      readonly statementTimeoutMs?: number;
    };

/** Where files live: local disk below DATA_DIR (embedded default) or an S3-compatible bucket (scaled). */
export type StorageConfig =
  | { readonly kind: 'local'; readonly dir: string }
  | {
      readonly kind: 's3';
      /** Endpoint of an S3-compatible service (MinIO, R2, …); null means AWS S3 in `region`. */
      readonly endpoint: string | null;
      readonly region: string;
      readonly bucket: string;
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      /** `endpoint/bucket/key` instead of `bucket.endpoint/key`; most self-hosted services need it. */
      readonly forcePathStyle: boolean;
      /** Prepended to every key (without slashes at either end), so one bucket can serve several installations. */
      readonly prefix: string | null;
    };

export type TrustProxy = false | number | readonly string[];

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Base URL of the platform host, without a trailing slash. Links in emails are built from it. */
    readonly publicUrl: string;
    readonly publicOrigin: string;
    readonly trustProxy: TrustProxy;
    readonly shutdownTimeoutMs: number;
    /**
     * The longest any request may take to arrive whole (an upload of 10 × 10 MB on a slow line);
     * a slower one is cut off. What a crash leaves half-written is known dead after twice this.
     */
    readonly requestTimeoutMs: number;
    /** HSTS (on HTTPS) also covers every subdomain of the host: only when all of them serve HTTPS. */
    readonly hstsIncludeSubDomains: boolean;
  };
  readonly dataDir: string;
  /** Below this much free space in DATA_DIR (SQLite, local files, temporary files), /readyz reports not ready. */
  readonly minFreeDiskBytes: number;
  readonly database: DatabaseConfig;
  readonly storage: StorageConfig;
  /** Upload limits (SECURITY.md §5): per upload fixed by the product, quotas per organisation's plan. */
  readonly files: {
    readonly maxFilesPerUpload: number;
    readonly maxFileBytes: number;
    readonly ticketQuotaBytes: number;
    readonly tenantQuotaBytes: number;
  };
  /** Per-contact limits in the portal (issue 11); each organisation may override any of them. */
  readonly customerLimits: CustomerLimits;
  readonly log: { readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  readonly worker: {
    /** Run the outbox worker inside the web process (embedded default). */
    readonly inProcess: boolean;
    readonly pollIntervalMs: number;
    readonly maxAttempts: number;
    /** Jobs one worker runs side by side. */
    readonly concurrency: number;
  };
  readonly demo: { readonly seedOnStart: boolean };
  readonly mail: {
    /** SMTP relay URL; when unset, mail goes to the dev mailbox (`/_dev/mail`) instead. */
    readonly smtpUrl: string | null;
    /** Connections kept open to the relay. */
    readonly smtpMaxConnections: number;
    /** Envelope and From address; the display name is always the organisation's. */
    readonly fromAddress: string;
  };
  /** Domain of reply addresses (`reply+<token>@INBOUND_DOMAIN`) and of ticket thread Message-IDs. */
  readonly inboundDomain: string;
  /** The two doors of inbound mail (README "Receiving email"). */
  readonly inbound: {
    /** The built-in SMTP listener; null: off (INBOUND_SMTP_PORT=0 or off, and in tests unless set). */
    readonly smtp: {
      readonly host: string;
      readonly port: number;
      /** Certificate and key files (PEM): STARTTLS is offered only when both are set. */
      readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
      /** Which command runs the listener: `servelo start` (default) or `servelo worker`. */
      readonly runIn: 'start' | 'worker';
    } | null;
    /** Largest message either door accepts (SMTP SIZE, the webhook's body limit). */
    readonly maxBytes: number;
    /** Signs `POST /api/inbound/email`; null: the webhook answers 404. */
    readonly webhookSecret: string | null;
    /** authserv-ids whose `Authentication-Results` header the webhook trusts (lowercase). */
    readonly trustedRelays: readonly string[];
  };
  /**
   * Secret for values derived on the server (reply-address tokens). Required in production; in
   * development a random one is generated into DATA_DIR/app-secret on first start.
   */
  readonly appSecret: string | null;
  /** Shared store for rate limits across app instances; in memory when unset. */
  readonly redisUrl: string | null;
  /** clamd (`tcp://host:port` or `unix:/path`) scanning every upload; null: files are not scanned. */
  readonly clamavUrl: string | null;
  readonly sessions: {
    /** Customer sessions (SECURITY.md D3). */
    readonly portalIdleMs: number;
    readonly portalAbsoluteMs: number;
  };
  /** Team sign-in (SECURITY.md D1, D3): password hashing cost and team session lifetimes. */
  readonly teamAuth: {
    readonly sessionIdleMs: number;
    readonly sessionAbsoluteMs: number;
    /** argon2id cost (OWASP: 19 MiB, 2 passes); tests default to a cheap one for speed. */
    readonly argon2: { readonly memoryKib: number; readonly timeCost: number };
  };
  /** Custom domains, per-organisation subdomains and their certificates (issue 14; README "Custom domains"). */
  readonly domains: {
    /**
     * Host names (lower-case, no port) that serve the platform (`/portal/{slug}`, `/app`, `/operator`,
     * `/api`): PUBLIC_URL's, plus PLATFORM_HOSTS; outside production also localhost, 127.0.0.1 and ::1.
     */
    readonly platformHosts: readonly string[];
    /** What a custom domain's CNAME points at (PORTAL_CNAME_TARGET; default PUBLIC_URL's host name). */
    readonly cnameTarget: string;
    /** Per-organisation subdomains `<slug>.<base>` (PORTAL_SUBDOMAIN_BASE); null: off. */
    readonly subdomainBase: string | null;
    /** DNS servers the checks ask (DNS_SERVERS, `ip` or `ip:port`, comma-separated); null: the system's. */
    readonly dnsServers: readonly string[] | null;
    /** How long a lapsed domain (DNS no longer pointing at us) is still served. */
    readonly lapseGraceMs: number;
    /** Addresses (IPs or CIDRs) besides loopback allowed to call `/internal/…` (INTERNAL_ADDRESSES). */
    readonly internalAddresses: readonly string[];
    /** ACME issuance (ACME_DIRECTORY_URL); null: certificates come from a proxy (Caddy on-demand TLS) or uploads. */
    readonly acme: {
      readonly directoryUrl: string;
      readonly email: string;
      /** Extra CA certificate (PEM file) to trust for the directory: a test CA like pebble. */
      readonly caCertFile: string | null;
    } | null;
    /** Servelo's own HTTPS listener choosing the certificate by SNI (HTTPS_PORT); null: off. */
    readonly https: { readonly host: string; readonly port: number } | null;
    /** Key for certificates and ACME keys at rest (DOMAIN_KEY_SECRET); null: derived from APP_SECRET. */
    readonly keySecret: string | null;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

const trustProxyValue = z
  .string()
  .trim()
  .min(1)
  .transform((v, ctx): TrustProxy => {
    if (v === 'false') return false;
    if (/^\d+$/.test(v)) return Number(v);
    // `true` would trust any client-supplied X-Forwarded-For (SECURITY.md §4): refuse it.
    if (v === 'true') {
      ctx.addIssue({ code: 'custom', message: 'must be a hop count or a list of proxy addresses, never true' });
      return z.NEVER;
    }
    return v.split(',').map((s) => s.trim());
  });

const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^(postgres|postgresql):\/\//.test(v) || /^(sqlite|file):/.test(v), {
    error: 'must start with postgres://, postgresql://, sqlite: or file:',
  });

// A key prefix is joined to keys generated by our code, so it obeys the same rules: no empty,
// dot or `..` segments that could alias or escape (platform/storage/file-key.ts).
const s3Prefix = z
  .string()
  .trim()
  .transform((v) => v.replace(/^\/+|\/+$/g, ''))
  .refine((v) => /^([\w-][\w.-]*(\/[\w-][\w.-]*)*)?$/.test(v) && !v.includes('..'), {
    error: 'must be path segments of letters, digits, _ . - separated by /, without ..',
  });

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/\.$/, ''))
  .refine((v) => HOST_NAME.test(v), { error: 'must be a host name like portal.example.com' });
const hostList = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.split(',').map((h) => h.trim().replace(/\.$/, '')))
  .refine((hosts) => hosts.every((h) => HOST_NAME.test(h)), { error: 'must be a comma-separated list of host names' });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).optional(),
  PUBLIC_URL: httpUrl.optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_POOL_MAX: integer(1, 200).optional(),
  DATABASE_CONNECT_TIMEOUT_MS: integer(100, 600_000).optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),
  TRUST_PROXY: trustProxyValue.optional(),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).optional(),
  HTTP_REQUEST_TIMEOUT_MS: integer(1_000, 3_600_000).optional(),
  MIN_FREE_DISK_MB: integer(0, 100_000_000).optional(),
  WORKER_IN_PROCESS: booleanFlag.optional(),
  WORKER_POLL_MS: integer(10, 600_000).optional(),
  OUTBOX_MAX_ATTEMPTS: integer(1, 100).optional(),
  WORKER_CONCURRENCY: integer(1, 100).optional(),
  SMTP_MAX_CONNECTIONS: integer(1, 50).optional(),
  SEED_DEMO: booleanFlag.optional(),
  FILES_TICKET_QUOTA_MB: integer(1, 10_000_000).optional(),
  FILES_TENANT_QUOTA_MB: integer(1, 100_000_000).optional(),
  PORTAL_LIMIT_SUBMISSIONS_PER_MINUTE: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_SUBMISSIONS_PER_DAY: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_REPLIES_PER_MINUTE: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_REPLIES_PER_DAY: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_CLOSES_PER_MINUTE: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_CLOSES_PER_DAY: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_UPLOADS_PER_MINUTE: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_UPLOADS_PER_DAY: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_PENDING_UPLOAD_MB: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  PORTAL_LIMIT_UPLOAD_MB_PER_DAY: integer(1, CUSTOMER_LIMIT_MAX).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.email({ error: 'must be an email address' }).optional(),
  INBOUND_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'must be a domain name like reply.example.com' })
    .optional(),
  INBOUND_SMTP_PORT: z.literal('off', { error: 'must be a port number, or 0 or off' }).or(integer(0, 65535)).optional(),
  INBOUND_SMTP_HOST: z.string().trim().min(1).optional(),
  INBOUND_SMTP_TLS_CERT: z.string().trim().min(1).optional(),
  INBOUND_SMTP_TLS_KEY: z.string().trim().min(1).optional(),
  INBOUND_SMTP_IN: z.enum(['start', 'worker'], { error: 'must be start or worker' }).optional(),
  INBOUND_MAX_BYTES: integer(1024, 1_073_741_824).optional(),
  INBOUND_WEBHOOK_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  INBOUND_TRUSTED_RELAYS: z
    .string()
    .toLowerCase()
    .regex(/^\s*[a-z0-9][a-z0-9.-]*(\s*,\s*[a-z0-9][a-z0-9.-]*)*\s*$/, { error: 'must be a comma-separated list of host names' })
    .optional(),
  HSTS_INCLUDE_SUBDOMAINS: booleanFlag.optional(),
  APP_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  CLAMAV_URL: z
    .string()
    .trim()
    .refine((v) => parseClamdUrl(v) !== undefined, { error: 'must be tcp://host:port or unix:/path/to/clamd.ctl' })
    .optional(),
  S3_ENDPOINT: httpUrl.optional(),
  S3_REGION: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]+$/, { error: 'must be a region name like us-east-1' })
    .optional(),
  S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be a bucket name (3–63 lowercase letters, digits, dots, hyphens)' })
    .optional(),
  S3_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.optional(),
  S3_PREFIX: s3Prefix.optional(),
  PORTAL_SESSION_IDLE_DAYS: integer(1, 90).optional(),
  PORTAL_SESSION_ABSOLUTE_DAYS: integer(1, 365).optional(),
  TEAM_SESSION_IDLE_HOURS: integer(1, 168).optional(),
  TEAM_SESSION_ABSOLUTE_DAYS: integer(1, 90).optional(),
  ARGON2_MEMORY_KIB: integer(1024, 1_048_576).optional(),
  ARGON2_TIME_COST: integer(1, 10).optional(),
  PLATFORM_HOSTS: hostList.optional(),
  PORTAL_CNAME_TARGET: hostName.optional(),
  PORTAL_SUBDOMAIN_BASE: hostName.optional(),
  DNS_SERVERS: z
    .string()
    .trim()
    .regex(/^(\[?[0-9a-fA-F:.]+\]?(:\d{1,5})?)(\s*,\s*\[?[0-9a-fA-F:.]+\]?(:\d{1,5})?)*$/, {
      error: 'must be a comma-separated list of ip or ip:port',
    })
    .optional(),
  DOMAIN_LAPSE_GRACE_DAYS: integer(0, 365).optional(),
  INTERNAL_ADDRESSES: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*$/, { error: 'must be a comma-separated list of IP addresses or CIDR ranges' })
    .optional(),
  ACME_DIRECTORY_URL: httpUrl.optional(),
  ACME_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  ACME_CA_CERT: z.string().trim().min(1).optional(),
  HTTPS_PORT: integer(0, 65535).optional(),
  DOMAIN_KEY_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
});

type Env = Readonly<Record<string, string | undefined>>;

/** A webhook secret for development only, so a local relay script works out of the box (README). */
export const DEVELOPMENT_INBOUND_WEBHOOK_SECRET = 'development-only-inbound-webhook-secret';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Parses and validates the environment; throws `ConfigError` listing every bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  // An empty string means "unset" for every variable: shells and .env files produce them easily.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction && !e.PUBLIC_URL) {
    problems.push('PUBLIC_URL: is required in production (links in emails are built from it)');
  }
  if (isProduction && !e.SMTP_URL) {
    problems.push('SMTP_URL: is required in production (the dev mailbox is for development only)');
  }
  if (isProduction && !e.APP_SECRET) {
    problems.push('APP_SECRET: is required in production (at least 32 random characters)');
  }
  if (isProduction && !e.INBOUND_DOMAIN) {
    problems.push('INBOUND_DOMAIN: is required in production');
  }
  if (isProduction && !e.MAIL_FROM) {
    problems.push('MAIL_FROM: is required in production');
  }
  const idleDays = e.PORTAL_SESSION_IDLE_DAYS ?? 7;
  const absoluteDays = e.PORTAL_SESSION_ABSOLUTE_DAYS ?? 30;
  if (idleDays > absoluteDays) {
    problems.push('PORTAL_SESSION_IDLE_DAYS: must not exceed PORTAL_SESSION_ABSOLUTE_DAYS');
  }
  const teamIdleHours = e.TEAM_SESSION_IDLE_HOURS ?? 12;
  const teamAbsoluteDays = e.TEAM_SESSION_ABSOLUTE_DAYS ?? 7;
  if (teamIdleHours > teamAbsoluteDays * 24) {
    problems.push('TEAM_SESSION_IDLE_HOURS: must not exceed TEAM_SESSION_ABSOLUTE_DAYS');
  }
  // Cheap hashing only where nothing real is protected: the test suite hashes many passwords.
  const argon2 = {
    memoryKib: e.ARGON2_MEMORY_KIB ?? (e.NODE_ENV === 'test' ? 1024 : 19_456),
    timeCost: e.ARGON2_TIME_COST ?? (e.NODE_ENV === 'test' ? 1 : 2),
  };
  // OWASP's argon2id settings trade memory for passes (19 MiB × 2 ≈ 7 MiB × 5); below that, refuse.
  if (isProduction && (argon2.memoryKib < 7168 || argon2.memoryKib * argon2.timeCost < 35_840)) {
    problems.push('ARGON2_MEMORY_KIB: with ARGON2_TIME_COST must meet the OWASP minimum (e.g. 19456 KiB with 2 passes)');
  }
  if (e.S3_BUCKET && !e.S3_ACCESS_KEY_ID) {
    problems.push('S3_ACCESS_KEY_ID: is required when S3_BUCKET is set');
  }
  if (e.S3_BUCKET && !e.S3_SECRET_ACCESS_KEY) {
    problems.push('S3_SECRET_ACCESS_KEY: is required when S3_BUCKET is set');
  }
  if (Boolean(e.INBOUND_SMTP_TLS_CERT) !== Boolean(e.INBOUND_SMTP_TLS_KEY)) {
    problems.push('INBOUND_SMTP_TLS_CERT: and INBOUND_SMTP_TLS_KEY are set together (STARTTLS needs both)');
  }
  if (e.ACME_DIRECTORY_URL && !e.ACME_EMAIL) {
    problems.push(
      'ACME_EMAIL: is required when ACME_DIRECTORY_URL is set (the certificate authority writes to it about expiring certificates)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const port = e.PORT ?? 3000;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const dataDir = path.resolve(cwd, e.DATA_DIR);

  const config: Config = {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port,
      publicUrl,
      publicOrigin: new URL(publicUrl).origin,
      trustProxy: e.TRUST_PROXY ?? false,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? 10_000,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS ?? 15 * 60_000,
      hstsIncludeSubDomains: e.HSTS_INCLUDE_SUBDOMAINS ?? false,
    },
    dataDir,
    minFreeDiskBytes: (e.MIN_FREE_DISK_MB ?? 256) * MB,
    database: parseDatabase(
      e.DATABASE_URL,
      {
        poolMax: e.DATABASE_POOL_MAX ?? 10,
        connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS ?? 3_000,
        statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? 10_000,
      },
      dataDir,
      cwd,
    ),
    storage: parseStorage(e, dataDir),
    files: {
      maxFilesPerUpload: 10,
      maxFileBytes: 10 * MB,
      ticketQuotaBytes: (e.FILES_TICKET_QUOTA_MB ?? 200) * MB,
      tenantQuotaBytes: (e.FILES_TENANT_QUOTA_MB ?? 5 * 1024) * MB,
    },
    customerLimits: {
      submissionsPerMinute: e.PORTAL_LIMIT_SUBMISSIONS_PER_MINUTE ?? CUSTOMER_LIMIT_DEFAULTS.submissionsPerMinute,
      submissionsPerDay: e.PORTAL_LIMIT_SUBMISSIONS_PER_DAY ?? CUSTOMER_LIMIT_DEFAULTS.submissionsPerDay,
      repliesPerMinute: e.PORTAL_LIMIT_REPLIES_PER_MINUTE ?? CUSTOMER_LIMIT_DEFAULTS.repliesPerMinute,
      repliesPerDay: e.PORTAL_LIMIT_REPLIES_PER_DAY ?? CUSTOMER_LIMIT_DEFAULTS.repliesPerDay,
      closesPerMinute: e.PORTAL_LIMIT_CLOSES_PER_MINUTE ?? CUSTOMER_LIMIT_DEFAULTS.closesPerMinute,
      closesPerDay: e.PORTAL_LIMIT_CLOSES_PER_DAY ?? CUSTOMER_LIMIT_DEFAULTS.closesPerDay,
      uploadsPerMinute: e.PORTAL_LIMIT_UPLOADS_PER_MINUTE ?? CUSTOMER_LIMIT_DEFAULTS.uploadsPerMinute,
      uploadsPerDay: e.PORTAL_LIMIT_UPLOADS_PER_DAY ?? CUSTOMER_LIMIT_DEFAULTS.uploadsPerDay,
      pendingUploadMb: e.PORTAL_LIMIT_PENDING_UPLOAD_MB ?? CUSTOMER_LIMIT_DEFAULTS.pendingUploadMb,
      uploadMbPerDay: e.PORTAL_LIMIT_UPLOAD_MB_PER_DAY ?? CUSTOMER_LIMIT_DEFAULTS.uploadMbPerDay,
    },
    log: { level: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info') },
    worker: {
      inProcess: e.WORKER_IN_PROCESS ?? true,
      pollIntervalMs: e.WORKER_POLL_MS ?? 1000,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS ?? 8,
      concurrency: e.WORKER_CONCURRENCY ?? 10,
    },
    demo: { seedOnStart: e.SEED_DEMO ?? !isProduction },
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      smtpMaxConnections: e.SMTP_MAX_CONNECTIONS ?? 5,
      fromAddress: (e.MAIL_FROM ?? 'no-reply@example.com').toLowerCase(),
    },
    inboundDomain: e.INBOUND_DOMAIN ?? 'reply.example.com',
    inbound: {
      smtp: parseInboundSmtp(e, cwd),
      maxBytes: e.INBOUND_MAX_BYTES ?? 25 * MB,
      webhookSecret: e.INBOUND_WEBHOOK_SECRET ?? (e.NODE_ENV === 'development' ? DEVELOPMENT_INBOUND_WEBHOOK_SECRET : null),
      trustedRelays: e.INBOUND_TRUSTED_RELAYS?.split(',').map((id) => id.trim()) ?? [],
    },
    appSecret: e.APP_SECRET ?? null,
    redisUrl: e.REDIS_URL ?? null,
    clamavUrl: e.CLAMAV_URL ?? null,
    sessions: { portalIdleMs: idleDays * DAY_MS, portalAbsoluteMs: absoluteDays * DAY_MS },
    teamAuth: { sessionIdleMs: teamIdleHours * HOUR_MS, sessionAbsoluteMs: teamAbsoluteDays * DAY_MS, argon2 },
    domains: parseDomains(e, publicUrl, cwd, isProduction),
  };
  return deepFreeze(config);
}

const MB = 1024 * 1024;

function parseDatabase(
  url: string | undefined,
  pool: { poolMax: number; connectTimeoutMs: number; statementTimeoutMs: number },
  dataDir: string,
  cwd: string,
): DatabaseConfig {
  if (url === undefined) return { kind: 'sqlite', path: path.join(dataDir, 'servelo.db') };
  if (url.startsWith('postgres')) return { kind: 'postgres', url, ...pool };
  const file = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return { kind: 'sqlite', path: file === ':memory:' ? file : path.resolve(cwd, file) };
}

/** The SMTP listener: on by default (2525 on loopback), off when the port is 0 or `off`, and off in tests unless a port is set. */
function parseInboundSmtp(e: z.infer<typeof EnvSchema>, cwd: string): Config['inbound']['smtp'] {
  const port = e.INBOUND_SMTP_PORT ?? (e.NODE_ENV === 'test' ? 0 : 2525);
  if (port === 0 || port === 'off') return null;
  return {
    host: e.INBOUND_SMTP_HOST ?? '127.0.0.1',
    port,
    tls:
      e.INBOUND_SMTP_TLS_CERT && e.INBOUND_SMTP_TLS_KEY
        ? { certFile: path.resolve(cwd, e.INBOUND_SMTP_TLS_CERT), keyFile: path.resolve(cwd, e.INBOUND_SMTP_TLS_KEY) }
        : null,
    runIn: e.INBOUND_SMTP_IN ?? 'start',
  };
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

function parseDomains(e: z.infer<typeof EnvSchema>, publicUrl: string, cwd: string, isProduction: boolean): Config['domains'] {
  const publicHost = new URL(publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const platformHosts = new Set([publicHost, ...(e.PLATFORM_HOSTS ?? []), ...(isProduction ? [] : LOOPBACK_HOSTS)]);
  return {
    platformHosts: [...platformHosts],
    cnameTarget: e.PORTAL_CNAME_TARGET ?? publicHost,
    subdomainBase: e.PORTAL_SUBDOMAIN_BASE ?? null,
    dnsServers: e.DNS_SERVERS?.split(',').map((s) => s.trim()) ?? null,
    lapseGraceMs: (e.DOMAIN_LAPSE_GRACE_DAYS ?? 7) * DAY_MS,
    internalAddresses: e.INTERNAL_ADDRESSES?.split(',').map((s) => s.trim()) ?? [],
    acme: e.ACME_DIRECTORY_URL
      ? {
          directoryUrl: e.ACME_DIRECTORY_URL,
          email: (e.ACME_EMAIL ?? '').toLowerCase(),
          caCertFile: e.ACME_CA_CERT ? path.resolve(cwd, e.ACME_CA_CERT) : null,
        }
      : null,
    https: e.HTTPS_PORT !== undefined ? { host: e.HOST, port: e.HTTPS_PORT } : null,
    keySecret: e.DOMAIN_KEY_SECRET ?? null,
  };
}

function parseStorage(e: z.infer<typeof EnvSchema>, dataDir: string): StorageConfig {
  if (!e.S3_BUCKET) return { kind: 'local', dir: path.join(dataDir, 'files') };
  return {
    kind: 's3',
    endpoint: e.S3_ENDPOINT ?? null,
    region: e.S3_REGION ?? 'us-east-1',
    bucket: e.S3_BUCKET,
    // Both are present: loadConfig lists their absence as a problem before building the config.
    accessKeyId: e.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? '',
    forcePathStyle: e.S3_FORCE_PATH_STYLE ?? false,
    prefix: e.S3_PREFIX || null,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
