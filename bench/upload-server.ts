// The server side of the upload benchmark (bench/upload.ts runs it as a child process, so its RSS
// is measured alone). It serves the real app, and beside it a bare node:http server whose one
// route streams the request body straight into the same FileStore instance: the "raw loopback
// stream into the same store" the upload path is measured against (ARCHITECTURE.md §7).
//
// On start it prints one JSON line (BenchServerInfo) on stdout; it stops on SIGTERM, SIGINT or
// when its stdin closes (the runner went away), and removes its temporary DATA_DIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { closeDeps, createDeps } from '../src/deps.js';
import { sessionCookieName } from '../src/http/session-cookie.js';
import { openSession, sessionLifetimesOf } from '../src/features/sessions/session.service.js';
import { addContact, createClient } from '../src/features/clients/client.service.js';
import { createTenant } from '../src/features/tenants/tenant.service.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { forTenant } from '../src/platform/db/tenant-scope.js';

export interface BenchServerInfo {
  /** The portal upload route (POST multipart/form-data). */
  readonly url: string;
  readonly slug: string;
  /** `name=value`, ready for a Cookie header. */
  readonly cookie: string;
  /** POST any body: it is piped into the FileStore as one object. */
  readonly rawUrl: string;
  /** POST: removes every stored object (uploads and raw), so disk use stays flat between rounds. */
  readonly resetUrl: string;
  readonly pid: number;
}

const SLUG = 'bench';
const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-bench-'));
const config = loadConfig({
  // Production would demand SMTP, secrets and domains; nothing on the upload path depends on it.
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'http://127.0.0.1',
  DATA_DIR: dataDir,
  WORKER_IN_PROCESS: 'false',
  SEED_DEMO: 'false',
  // Rows of earlier rounds stay in the database (only their objects are removed): never the quota.
  FILES_TENANT_QUOTA_MB: '1000000',
});
if (config.storage.kind !== 'local') throw new Error('The upload benchmark measures the local FileStore');
const filesDir = config.storage.dir;
const deps = createDeps(config);

await migrateToLatest(deps.db);
const tenant = await createTenant(deps, { slug: SLUG, name: 'Bench' });
const client = await createClient(deps, tenant.id, { name: 'Bench client' });
const contact = await addContact(deps, tenant.id, client.id, { email: 'bench@customer.example.com', name: 'Bench' });
const session = await openSession(forTenant(deps.db, tenant.id), deps.clock, {
  audience: 'portal',
  subjectId: contact.id,
  lifetimes: sessionLifetimesOf(config, 'portal'),
  meta: { ip: null, userAgent: null },
});

const app = await buildApp(config, deps);
await app.listen({ host: '127.0.0.1', port: 0 });
const appPort = (app.server.address() as AddressInfo).port;

let rawCount = 0;
async function handleRaw(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'POST' && request.url === '/raw') {
    rawCount += 1;
    const { size } = await deps.files.put(`tenants/${SLUG}/raw/${rawCount}`, request);
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ size }));
    return;
  }
  if (request.method === 'POST' && request.url === '/reset') {
    request.resume();
    await rm(path.join(filesDir, 'tenants'), { recursive: true, force: true });
    response.writeHead(204).end();
    return;
  }
  request.resume();
  response.writeHead(404).end();
}
const raw = createServer((request, response) => {
  handleRaw(request, response).catch((error: unknown) => {
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(String(error));
  });
});
await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
const rawPort = (raw.address() as AddressInfo).port;

const info: BenchServerInfo = {
  url: `http://127.0.0.1:${appPort}/portal/${SLUG}/api/uploads`,
  slug: SLUG,
  cookie: `${sessionCookieName(config, 'portal')}=${session.token}`,
  rawUrl: `http://127.0.0.1:${rawPort}/raw`,
  resetUrl: `http://127.0.0.1:${rawPort}/reset`,
  pid: process.pid,
};
process.stdout.write(`${JSON.stringify(info)}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  raw.closeAllConnections();
  await new Promise<void>((resolve) => raw.close(() => resolve()));
  await app.close();
  await closeDeps(deps);
  rmSync(dataDir, { recursive: true, force: true });
}
const stopAndExit = () => {
  stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench server: ${String(error)}\n`);
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stopAndExit);
process.once('SIGINT', stopAndExit);
process.stdin.once('end', stopAndExit);
process.stdin.resume();
