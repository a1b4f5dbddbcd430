import { type ChildProcess, spawn } from 'node:child_process';
import { type Dirent, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { closeDeps, createDeps } from '../../src/deps.js';
import { openSession, sessionLifetimesOf } from '../../src/features/sessions/session.service.js';
import { sessionCookieName } from '../../src/http/session-cookie.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart-upload.js';
import { freePort } from '../helpers/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The real `servelo start` in its own process, on SQLite, killed with SIGKILL or stopped with
 * SIGTERM while an upload is half-way: after a restart nothing half-written is left (no
 * `uploading` rows, no temporary files), every acknowledged reply is there and the database is
 * intact; an upload that outlives the shutdown timeout is cut off, cleaned up, and the process
 * still exits 0.
 */
describe('the server process, killed or stopped during an upload (SQLite)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('after kill -9 and a restart: acknowledged replies kept, nothing half-written left, integrity ok', async () => {
    const site = await prepareSite({ HTTP_REQUEST_TIMEOUT_MS: '1000' });
    let server = await startServer(site);

    // Replies one after another; each 201 is a write the server acknowledged.
    const acknowledged: string[] = [];
    let replying = true;
    const replies = (async () => {
      for (let n = 0; replying && n < 500; n++) {
        const res = await fetchJson(site, 'POST', `/api/tickets/${site.graph.ticket.id}/messages`, { body: `Reply ${n}` }).catch(
          () => null,
        );
        if (res?.status === 201) acknowledged.push((res.body as { message: { id: string } }).message.id);
      }
    })();
    const upload = holdUpload(site, 2 * 1024 * 1024);
    await vi.waitFor(() => expect(temporaryFiles(site.dataDir)).not.toEqual([]), { timeout: 15_000 });
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThan(3), { timeout: 15_000 });

    server.kill('SIGKILL');
    await exitOf(server);
    replying = false;
    await replies;
    upload.destroy();

    // What the kill left: an upload in the middle of being written.
    const killed = openDb(site);
    expect(killed.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(countRows(killed, `select count(*) as n from file where status = 'uploading'`)).toBe(1);
    const ids = killed.prepare(`select id from message where ticket_id = ?`).all(site.graph.ticket.id) as { id: string }[];
    const stored = new Set(ids.map((row) => row.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    killed.close();
    expect(temporaryFiles(site.dataDir)).toHaveLength(1);

    // No upload request lasts longer than HTTP_REQUEST_TIMEOUT_MS, so after twice that the
    // restarted server knows the leftovers are dead and sweeps them at once.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    server = await startServer(site);
    await vi.waitFor(
      () => {
        const db = openDb(site);
        try {
          expect(countRows(db, `select count(*) as n from file where status = 'uploading'`)).toBe(0);
        } finally {
          db.close();
        }
        expect(temporaryFiles(site.dataDir)).toEqual([]);
      },
      { timeout: 15_000 },
    );
    server.kill('SIGTERM');
    expect(await exitOf(server), site.output()).toBe(0);
  });

  it('cuts off an upload that outlives the shutdown timeout, cleans it up and exits 0', async () => {
    const site = await prepareSite({ SHUTDOWN_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '60000' });
    const server = await startServer(site);
    const upload = holdUpload(site, 1024 * 1024);
    await vi.waitFor(() => expect(temporaryFiles(site.dataDir)).not.toEqual([]), { timeout: 15_000 });

    const stoppedAt = Date.now();
    server.kill('SIGTERM');
    expect(await exitOf(server), site.output()).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(8_000);
    expect(await upload.outcome).toBe('cut off');

    const db = openDb(site);
    try {
      expect(countRows(db, `select count(*) as n from file`)).toBe(0);
    } finally {
      db.close();
    }
    expect(temporaryFiles(site.dataDir)).toEqual([]);
    expect(site.output()).toMatch(/cut off 1 request/);
  });

  interface Site {
    readonly dataDir: string;
    readonly env: Record<string, string>;
    readonly base: string;
    readonly graph: TenantGraph;
    readonly cookie: string;
    readonly output: () => string;
    readonly log: string[];
  }

  async function prepareSite(extra: Record<string, string>): Promise<Site> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-process-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      MIN_FREE_DISK_MB: '0',
      ...extra,
    };
    const config = loadConfig(env);
    const deps = createDeps(config);
    try {
      await migrateToLatest(deps.db);
      const graph = await createTenantGraph(deps);
      const { token } = await openSession(forTenant(deps.db, graph.tenant.id), deps.clock, {
        audience: 'portal',
        subjectId: graph.contact.id,
        lifetimes: sessionLifetimesOf(config, 'portal'),
        meta: { ip: null, userAgent: null },
      });
      const log: string[] = [];
      return {
        dataDir,
        env,
        base: `http://127.0.0.1:${port}/portal/${graph.tenant.slug}`,
        graph,
        cookie: `${sessionCookieName(config, 'portal')}=${token}`,
        log,
        output: () => log.join(''),
      };
    } finally {
      await closeDeps(deps);
    }
  }

  async function startServer(site: Site): Promise<ChildProcess> {
    // node itself, not the tsx wrapper: a signal must reach the server's own process.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts'), 'start'], {
      cwd: ROOT,
      env: site.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => site.log.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => site.log.push(chunk.toString('utf8')));
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${site.output()}`);
        const res = await fetch(`${new URL(site.base).origin}/healthz`);
        expect(res.status).toBe(200);
      },
      { timeout: 30_000, interval: 100 },
    );
    return child;
  }

  async function fetchJson(site: Site, method: string, route: string, body: unknown) {
    const res = await fetch(`${site.base}${route}`, {
      method,
      headers: {
        cookie: site.cookie,
        'content-type': 'application/json',
        'sec-fetch-site': 'same-origin',
        origin: new URL(site.base).origin,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  /** An upload of a 5 MB file whose first `bytes` are sent, then the client waits without finishing. */
  function holdUpload(site: Site, bytes: number): { destroy(): void; outcome: Promise<string> } {
    const body = multipartBody([{ field: 'files', filename: 'scan.csv', content: Buffer.alloc(5 * 1024 * 1024, 'a') }]);
    const url = new URL(`${site.base}/api/uploads`);
    const req: ClientRequest = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        'sec-fetch-site': 'same-origin',
        'content-type': body.contentType,
        'content-length': String(body.length),
        cookie: site.cookie,
      },
    });
    const outcome = new Promise<string>((resolve) => {
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', () => resolve('cut off'));
    });
    let sent = 0;
    const source = body.stream();
    source.on('data', (chunk: Buffer) => {
      if (sent >= bytes) return source.destroy();
      req.write(chunk.subarray(0, bytes - sent));
      sent += Math.min(chunk.length, bytes - sent);
    });
    return { destroy: () => req.destroy(), outcome };
  }
});

function openDb(site: { dataDir: string }): Database.Database {
  return new Database(path.join(site.dataDir, 'servelo.db'));
}

function countRows(db: Database.Database, statement: string): number {
  return (db.prepare(statement).get() as { n: number }).n;
}

/** Temporary files of interrupted writes anywhere under the data directory's file store. */
function temporaryFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'files');
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.includes('.tmp')) found.push(full);
    }
  };
  walk(root);
  return found;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
