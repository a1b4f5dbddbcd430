import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/test-app.js';
import { createTestDatabase, createEmptyTestDatabase, DIALECTS } from '../helpers/test-database.js';
import { freePort } from '../helpers/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

for (const dialect of DIALECTS) {
  describe(`servelo start [${dialect}]`, () => {
    it('migrates, seeds the demo tenant, serves the branded portal, and stops cleanly on SIGTERM', async () => {
      const database = await createEmptyTestDatabase(dialect);
      const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-start-'));
      const port = await freePort();
      const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'src', 'main.ts'), 'start'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          PORT: String(port),
          DATA_DIR: dataDir,
          DATABASE_URL: database.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        await expect.poll(() => output, { timeout: 60_000, interval: 100 }).toContain('Servelo is running');
        expect(output).toContain('Seeded the demo tenant "Acme Plumbing"');
        expect(output).toContain(`http://localhost:${port}/portal/demo`);

        const base = `http://127.0.0.1:${port}`;
        expect((await fetch(`${base}/readyz`)).status).toBe(200);
        const portal = await fetch(`${base}/portal/demo`, { headers: { accept: 'text/html' } });
        expect(portal.status).toBe(200);
        expect(await portal.text()).toContain('<title>Acme Plumbing</title>');
        // The banner names the operator console, and it is served.
        expect(output).toContain(`http://localhost:${port}/operator`);
        expect((await fetch(`${base}/operator`, { headers: { accept: 'text/html' } })).status).toBe(200);

        child.kill('SIGTERM');
        expect(await exited, output).toBe(0);
        expect(output).toContain('Received SIGTERM');
      } finally {
        child.kill('SIGKILL');
        await database.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 120_000);

    it('servelo worker keeps running while idle until SIGTERM, then exits 0', async () => {
      const database = await createTestDatabase(dialect);
      const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-worker-'));
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          DATA_DIR: dataDir,
          DATABASE_URL: database.url,
          WORKER_POLL_MS: '50',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        await expect.poll(() => output, { timeout: 60_000, interval: 100 }).toContain('Worker running');
        // Dozens of empty polls later it is still there: nothing but a signal ends it.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        expect([child.exitCode, child.signalCode], output).toEqual([null, null]);
        child.kill('SIGTERM');
        expect(await exited, output).toBe(0);
      } finally {
        child.kill('SIGKILL');
        await database.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 90_000);

    it('finishes in-flight requests when it closes', async () => {
      const database = await createTestDatabase(dialect);
      const t = await buildTestApp(database, {}, (app) => {
        app.get('/api/test/slow', async () => {
          await new Promise((resolve) => setTimeout(resolve, 400));
          return { finished: true };
        });
      });
      try {
        await t.app.listen({ host: '127.0.0.1', port: 0 });
        const address = t.app.server.address();
        const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        const inFlight = fetch(`${base}/api/test/slow`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const closing = t.close();
        const res = await inFlight;
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ finished: true });
        await closing;
        await expect(fetch(`${base}/healthz`)).rejects.toThrow();
      } finally {
        await database.destroy();
      }
    });
  });
}
