import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClamdScanner } from '../../src/platform/scanning/clamav-scanner.js';
import { freePort } from './free-port.js';

export const CLAMD_PATH = process.env.CLAMD_PATH ?? '/usr/sbin/clamd';
export const SIGTOOL_PATH = process.env.SIGTOOL_PATH ?? '/usr/bin/sigtool';
export const CLAMAV_INSTALL_COMMAND = 'sudo apt-get install -y clamav-daemon clamav';

/**
 * The EICAR anti-virus test file, built from parts so that no file of this repository is itself
 * flagged by a scanner (or a mail filter) that reads it.
 */
export const EICAR = Buffer.from(['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-', 'ANTIVIRUS-TEST-FILE!$H+H*'].join(''));

/** A real clamd on loopback with a test-only database: EICAR's MD5 (made by sigtool) and its bytes as a body signature. */
export interface Clamd {
  /** `tcp://127.0.0.1:<port>`, for CLAMAV_URL. */
  readonly url: string;
  readonly port: number;
  /** Starts clamd (again) on the same port and waits until it answers PING. */
  start(): Promise<void>;
  /** Stops clamd and waits until it has exited (its port then refuses connections). */
  stop(): Promise<void>;
  /** Stops clamd and removes its directory. */
  close(): Promise<void>;
}

/**
 * Starts clamd with a signature database made in a temporary directory: nothing is downloaded
 * (no freshclam), and it starts in a second or two. A missing clamd fails the test with how to
 * install it: scanning tests are never skipped.
 */
export async function startClamd(): Promise<Clamd> {
  for (const program of [CLAMD_PATH, SIGTOOL_PATH]) {
    if (!existsSync(program)) {
      throw new Error(
        `${program} is missing: the malware scanning tests run a real clamd. Install it with \`${CLAMAV_INSTALL_COMMAND}\` ` +
          '(or set CLAMD_PATH and SIGTOOL_PATH).',
      );
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'servelo-clamd-'));
  writeFileSync(path.join(dir, 'eicar.com'), EICAR);
  const signature = spawnSync(SIGTOOL_PATH, ['--md5', 'eicar.com'], { cwd: dir, encoding: 'utf8' });
  if (signature.status !== 0 || !/^[0-9a-f]{32}:\d+:/.test(signature.stdout)) {
    throw new Error(`sigtool --md5 failed: ${signature.stderr || signature.stdout}`);
  }
  writeFileSync(path.join(dir, 'test.hdb'), signature.stdout);
  // The same bytes anywhere inside a file (a body signature): an image with EICAR appended is
  // still a valid image, and is found too.
  writeFileSync(path.join(dir, 'test.ndb'), `Eicar-Body-Test:0:*:${EICAR.toString('hex')}\n`);
  rmSync(path.join(dir, 'eicar.com'));
  const port = await freePort();
  const conf = path.join(dir, 'clamd.conf');
  writeFileSync(
    conf,
    [
      `DatabaseDirectory ${dir}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      'Foreground yes',
      `LogFile ${path.join(dir, 'clamd.log')}`,
      `PidFile ${path.join(dir, 'clamd.pid')}`,
      'StreamMaxLength 12M',
      // clamd runs as whoever starts it (root in CI containers); no privileges are dropped.
      '',
    ].join('\n'),
  );
  const scanner = new ClamdScanner({ kind: 'tcp', host: '127.0.0.1', port }, { idleTimeoutMs: 2000 });
  let child: ChildProcess | undefined;
  let output = '';

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  const start = async () => {
    if (child) return;
    output = '';
    const started = spawn(CLAMD_PATH, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`clamd exited with ${started.exitCode}: ${output}`);
      try {
        await scanner.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`clamd did not answer PING within 30 s: ${String(error)}\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  await start();
  return {
    url: `tcp://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
