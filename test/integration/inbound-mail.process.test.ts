import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { closeDeps, createDeps } from '../../src/deps.js';
import { INBOUND_PROCESS_JOB, listInboundMessages } from '../../src/features/inbound-mail/inbound-mail.service.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTenantGraph } from '../helpers/factories.js';
import { freePort } from '../helpers/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The SMTP door in the real processes: `servelo start` runs it, or `servelo worker` when INBOUND_SMTP_IN=worker; SIGTERM stops it. */
describe('inbound mail: the SMTP listener in servelo start and servelo worker', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function prepare(command: 'start' | 'worker') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-inbound-process-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(httpPort),
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      MIN_FREE_DISK_MB: '0',
      APP_SECRET: 'a-process-test-secret-of-32-characters!',
      INBOUND_SMTP_PORT: String(smtpPort),
      INBOUND_SMTP_IN: command,
      // The web server's worker stays off: the queued job is what this test looks at.
      WORKER_IN_PROCESS: 'false',
    };
    const config = loadConfig(env);
    const deps = createDeps(config);
    await migrateToLatest(deps.db);
    const graph = await createTenantGraph(deps);
    const to = await ensureReplyAddress(forTenant(deps.db, graph.tenant.id), deps.clock, deps.appSecret, config.inboundDomain, {
      ticketId: graph.ticket.id,
      contactId: graph.contact.id,
    });
    cleanups.push(() => void closeDeps(deps));
    return { env, deps, graph, to, smtpPort };
  }

  async function spawnServelo(command: 'start' | 'worker', env: Record<string, string>, smtpPort: number): Promise<ChildProcess> {
    // node itself, not the tsx wrapper: the signal must reach the process that runs the listener.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts'), command], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`servelo ${command} exited (${child.exitCode}): ${log.join('')}`);
        expect(await accepts(smtpPort)).toBe(true);
      },
      { timeout: 30_000, interval: 100 },
    );
    return child;
  }

  for (const command of ['start', 'worker'] as const) {
    it(`servelo ${command} takes mail for a reply address, refuses others, and stops on SIGTERM`, async () => {
      const { env, deps, graph, to, smtpPort } = await prepare(command);
      const child = await spawnServelo(command, env, smtpPort);
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      const raw = Buffer.from(
        `From: Casey <casey@customer.example>\r\nTo: <${to}>\r\nSubject: Re: Leaking tap\r\nMessage-ID: <${command}@customer.example>\r\n\r\nThanks!\r\n`,
      );

      const info = await transport.sendMail({ envelope: { from: 'casey@customer.example', to: [to] }, raw });
      expect(info.response).toMatch(/^250 /);
      await expect(
        transport.sendMail({ envelope: { from: 'casey@customer.example', to: ['someone@reply.example.com'] }, raw }),
      ).rejects.toMatchObject({ responseCode: 550 });
      if (command === 'start') {
        // The answer came after the commit: the row and its job are there.
        expect((await listInboundMessages(forTenant(deps.db, graph.tenant.id), 'received', 10)).map((m) => m.messageId)).toEqual([
          '<start@customer.example>',
        ]);
        expect((await listJobs(deps.db, { kind: INBOUND_PROCESS_JOB })).filter((j) => j.tenantId === graph.tenant.id)).toHaveLength(1);
      }

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(await accepts(smtpPort)).toBe(false);
    });
  }
});
