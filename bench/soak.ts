import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { closeDeps, createDeps } from '../src/deps.js';
import { addContact, createClient } from '../src/features/clients/client.service.js';
import { openSession, sessionLifetimesOf } from '../src/features/sessions/session.service.js';
import { createTenant } from '../src/features/tenants/tenant.service.js';
import { openTicket } from '../test/helpers/factories.js';
import { sessionCookieName } from '../src/http/session-cookie.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { forTenant } from '../src/platform/db/tenant-scope.js';
import { multipartBody } from '../test/helpers/multipart-upload.js';
import { rssOf } from './lib/proc-stats.js';
import { spreadOf } from './lib/stats.js';

/**
 * Issue 11 A2: "a 10-minute soak of mixed traffic: RSS and open file descriptors flat after
 * warm-up". The real `servelo start` runs in its own process (SQLite, local files, the in-process
 * worker, the dev mailbox) while eight clients loop over the portal: the list, a ticket, a reply
 * (which queues team email for the worker) and now and then a small upload (under the per-address upload limit). Every 5 s the
 * server's RSS and open file descriptors are read from /proc. The baseline is the same process
 * right after warm-up (the second minute); the figure that decides is the last minute against
 * it: RSS grows by less than 15 % and descriptors by fewer than 10.
 */
export const SOAK_TARGETS = { maxRssGrowth: 0.15, maxFdGrowth: 10 } as const;

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface SoakSample {
  readonly atSeconds: number;
  readonly rss: number;
  readonly fds: number;
  readonly requests: number;
}

export interface SoakResult {
  readonly minutes: number;
  readonly requests: number;
  readonly failures: number;
  readonly samples: readonly SoakSample[];
  readonly baseline: { readonly rss: number; readonly fds: number };
  readonly end: { readonly rss: number; readonly fds: number };
  readonly rssGrowth: number;
  readonly fdGrowth: number;
  readonly pass: boolean;
}

export async function runSoakBench(options: { readonly minutes: number; readonly log: (line: string) => void }): Promise<SoakResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-soak-'));
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    // The soak measures the process over time, not the per-customer limits.
    PORTAL_LIMIT_REPLIES_PER_MINUTE: '1000000',
    PORTAL_LIMIT_REPLIES_PER_DAY: '1000000',
    PORTAL_LIMIT_UPLOADS_PER_MINUTE: '1000000',
    PORTAL_LIMIT_UPLOADS_PER_DAY: '1000000',
    PORTAL_LIMIT_PENDING_UPLOAD_MB: '1000000',
    PORTAL_LIMIT_UPLOAD_MB_PER_DAY: '1000000',
    FILES_TENANT_QUOTA_MB: '1000000',
  };
  const site = await prepare(env);
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts'), 'start'], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
  try {
    await waitUntilReady(server, `http://127.0.0.1:${port}/healthz`);
    const pid = server.pid!;
    let requests = 0;
    let failures = 0;
    const failedStatuses = new Map<number, number>();
    const until = Date.now() + options.minutes * 60_000;
    const base = `http://127.0.0.1:${port}/portal/${site.slug}`;
    const headers = { cookie: site.cookie, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' };
    const upload = multipartBody([{ field: 'files', filename: 'meter.csv', content: Buffer.alloc(64 * 1024, 'a') }]);
    const uploadBody = await new Response(upload.stream() as unknown as ReadableStream).arrayBuffer();
    const client = async (n: number) => {
      for (let round = 0; Date.now() < until; round++) {
        const ticket = site.tickets[(n + round) % site.tickets.length]!;
        const calls: (() => Promise<Response>)[] = [
          () => fetch(`${base}/api/tickets`, { headers }),
          () => fetch(`${base}/api/tickets/${ticket}`, { headers }),
          () =>
            fetch(`${base}/api/tickets/${ticket}/messages`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ body: `Soak reply ${n}.${round}` }),
            }),
        ];
        // Uploads stay under the per-address upload limit (120 a minute), which the soak is not about.
        if (round % 100 === 0) {
          calls.push(() =>
            fetch(`${base}/api/uploads`, { method: 'POST', headers: { ...headers, 'content-type': upload.contentType }, body: uploadBody }),
          );
        }
        for (const call of calls) {
          const res = await call().catch(() => null);
          requests += 1;
          if (!res || res.status >= 400) {
            failures += 1;
            failedStatuses.set(res?.status ?? 0, (failedStatuses.get(res?.status ?? 0) ?? 0) + 1);
          }
          await res?.arrayBuffer().catch(() => undefined);
        }
      }
    };
    const samples: SoakSample[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      const sample = {
        atSeconds: Math.round((Date.now() - started) / 1000),
        rss: rssOf(pid),
        fds: readdirSync(`/proc/${pid}/fd`).length,
        requests,
      };
      samples.push(sample);
      if (sample.atSeconds % 60 < 5) {
        options.log(`soak ${sample.atSeconds}s: rss ${(sample.rss / 1048576).toFixed(1)} MiB, fds ${sample.fds}, requests ${requests}`);
      }
    }, 5_000);
    await Promise.all(Array.from({ length: 8 }, (_, n) => client(n)));
    clearInterval(sampler);
    if (failures > 0) options.log(`soak failures by status: ${JSON.stringify(Object.fromEntries(failedStatuses))}`);
    const window = (from: number, to: number) => samples.filter((s) => s.atSeconds > from && s.atSeconds <= to);
    const total = options.minutes * 60;
    const first = window(60, 120);
    const last = window(total - 60, total);
    const summary = (list: readonly SoakSample[]) => ({
      rss: spreadOf(list.map((s) => s.rss)).median,
      fds: spreadOf(list.map((s) => s.fds)).median,
    });
    const baseline = summary(first);
    const end = summary(last);
    const rssGrowth = end.rss / baseline.rss - 1;
    const fdGrowth = end.fds - baseline.fds;
    return {
      minutes: options.minutes,
      requests,
      failures,
      samples,
      baseline,
      end,
      rssGrowth,
      fdGrowth,
      pass: rssGrowth < SOAK_TARGETS.maxRssGrowth && fdGrowth < SOAK_TARGETS.maxFdGrowth && failures === 0,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function prepare(env: Record<string, string>): Promise<{ slug: string; cookie: string; tickets: string[] }> {
  const config = loadConfig(env);
  const deps = createDeps(config);
  try {
    await migrateToLatest(deps.db);
    const tenant = await createTenant(deps, { slug: 'soak', name: 'Soak' });
    const client = await createClient(deps, tenant.id, { name: 'Soak client' });
    const contact = await addContact(deps, tenant.id, client.id, { email: 'soak@customer.example.com', name: 'Soak' });
    const tickets: string[] = [];
    for (let n = 0; n < 20; n++) {
      const ticket = await openTicket(deps, tenant.id, {
        clientId: client.id,
        requesterContactId: contact.id,
        title: `Soak ticket ${n}`,
        body: 'Steady traffic.',
        source: 'portal',
      });
      tickets.push(ticket.id);
    }
    const { token } = await openSession(forTenant(deps.db, tenant.id), deps.clock, {
      audience: 'portal',
      subjectId: contact.id,
      lifetimes: sessionLifetimesOf(config, 'portal'),
      meta: { ip: null, userAgent: null },
    });
    return { slug: tenant.slug, cookie: `${sessionCookieName(config, 'portal')}=${token}`, tickets };
  } finally {
    await closeDeps(deps);
  }
}

async function waitUntilReady(server: ChildProcess, url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not become ready in 30 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function formatSoakResult(result: SoakResult): string {
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
  return [
    `Soak — ${result.minutes} min of mixed portal traffic (8 clients), ${result.requests} requests, ${result.failures} failed`,
    '',
    '| | RSS | open fds |',
    '| --- | --- | --- |',
    `| 2nd minute (baseline) | ${mib(result.baseline.rss)} | ${result.baseline.fds} |`,
    `| last minute | ${mib(result.end.rss)} | ${result.end.fds} |`,
    `| growth | ${(result.rssGrowth * 100).toFixed(1)} % | ${result.fdGrowth} |`,
    '',
    `Budget: RSS growth < ${SOAK_TARGETS.maxRssGrowth * 100} %, descriptors < ${SOAK_TARGETS.maxFdGrowth}, no failed request: ${result.pass ? 'pass' : 'fail'}`,
  ].join('\n');
}
