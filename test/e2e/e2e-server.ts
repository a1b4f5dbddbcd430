import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import type { Clock } from '../../src/platform/clock.js';
import type { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createWorker } from '../../src/server.js';
import { freePort } from '../helpers/free-port.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The real app on a real socket for browser journeys: SQLite, the system clock (links and
 * sessions expire in real time, and a browser does not know about a manual clock), the dev
 * mailbox as the mail transport, and an outbox worker the test drives with `runOnce()`.
 * PUBLIC_URL must be the origin the browser uses: emailed links are built from it and writes are
 * checked against it, so a free port is chosen before the config is made.
 */
export interface E2eServer {
  readonly origin: string;
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly deps: Deps;
  readonly worker: OutboxWorker;
  close(): Promise<void>;
}

/** `env`: more configuration (DNS_SERVERS …); `clock`: a clock that still follows real time, e.g. shifted ahead by a test. */
export async function startE2eServer(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<E2eServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const database: TestDatabase = await createTestDatabase('sqlite');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: origin,
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    SEED_DEMO: 'false',
    WORKER_IN_PROCESS: 'false',
    ...options.env,
  });
  const deps = createDeps(config, { db: database.db, ...(options.clock ? { clock: options.clock } : {}) });
  const app = await buildApp(config, deps);
  await app.listen({ host: '127.0.0.1', port });
  const worker = createWorker(config, deps, app);
  return {
    origin,
    app,
    config,
    deps,
    worker,
    async close() {
      await app.close();
      await worker.stop();
      await database.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One message as `GET /_dev/mail/api/messages` lists it (the fields the journeys read). */
export interface DevMailMessage {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export async function listDevMail(origin: string, to: string): Promise<DevMailMessage[]> {
  const response = await fetch(`${origin}/_dev/mail/api/messages?to=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`dev mailbox answered ${response.status}`);
  const body = (await response.json()) as { messages: DevMailMessage[] };
  return body.messages;
}

/**
 * Runs the outbox until a message to `to` that is not in `seenIds` arrives, and returns it.
 * The sign-in email is sent by a background job, never inside the request.
 */
export async function waitForNewMail(
  server: E2eServer,
  to: string,
  seenIds: ReadonlySet<string>,
  timeoutMs = 20_000,
): Promise<DevMailMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await server.worker.runOnce();
    const fresh = (await listDevMail(server.origin, to)).filter((m) => !seenIds.has(m.id));
    // The mailbox lists the newest first.
    if (fresh[0]) return fresh[0];
    if (Date.now() > deadline) throw new Error(`no new mail for ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The ids already in the mailbox for `to`, so the next wait finds only what came after. */
export async function mailIdsOf(origin: string, to: string): Promise<Set<string>> {
  return new Set((await listDevMail(origin, to)).map((m) => m.id));
}

/** The sign-in link (`…/auth/confirm#token=…`) and the 8-character code from an email's text part. */
export function readSignInMail(message: DevMailMessage): { link: string; code: string } {
  const link = /https?:\/\/[^\s<>"]+\/auth\/confirm#token=[A-Za-z0-9_-]+/.exec(message.text)?.[0];
  const code = /\b([A-Z0-9]{4})[- ]?([A-Z0-9]{4})\b/.exec(message.text.slice(message.text.search(/code/i)));
  if (!link) throw new Error(`no sign-in link in the email text:\n${message.text}`);
  if (!code) throw new Error(`no code in the email text:\n${message.text}`);
  return { link, code: `${code[1]}${code[2]}` };
}
