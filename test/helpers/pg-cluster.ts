import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

/**
 * A PostgreSQL server of the test's own (initdb + pg_ctl from Debian's PostgreSQL), on its own port
 * and socket directory, so a test can stop and restart it without touching the shared server.
 * Runs the server as the `postgres` user when the tests run as root (initdb refuses root).
 */
export interface PgCluster {
  readonly port: number;
  /** A URL of the cluster's `postgres` database. */
  readonly url: string;
  /** `immediate` is a crash (no checkpoint, connections cut); `fast` a clean stop. */
  stop(mode?: 'immediate' | 'fast'): void;
  start(): void;
  /** SIGSTOP / SIGCONT to every process of the cluster: a database that accepts packets and never answers. */
  freeze(): void;
  thaw(): void;
  destroy(): void;
}

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = path.join(root, version, 'bin', name);
    if (existsSync(bin)) return bin;
  }
  throw new Error(`${name} not found under ${root}: install Debian's postgresql package (.ci/run does)`);
}

export async function startPgCluster(): Promise<PgCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'servelo-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (bin: string, args: string[]) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', pgBin(bin), ...args]] : [pgBin(bin), args];
    const result = spawnSync(command as string, argv as string[], { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  };
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  start();
  let running = true;
  const signalAll = (signal: NodeJS.Signals) => {
    const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number);
    for (const pid of [postmaster, ...children]) {
      try {
        process.kill(pid, signal);
      } catch (error) {
        // A backend that exited between pgrep and the signal is not an error.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  };
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop(mode = 'immediate') {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      running = false;
    },
    start() {
      start();
      running = true;
    },
    freeze() {
      signalAll('SIGSTOP');
    },
    thaw() {
      signalAll('SIGCONT');
    },
    destroy() {
      if (running) signalAll('SIGCONT');
      if (running) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
