import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export const CADDY_PATH = process.env.CADDY_PATH ?? '/usr/bin/caddy';

/** A real Caddy on loopback doing on-demand TLS with its internal CA, asking Servelo before each certificate. */
export interface Caddy {
  readonly httpsPort: number;
  /** The Caddyfile it runs (the README's, with test ports and paths). */
  readonly caddyfile: string;
  /** Caddy's local root CA (PEM), to verify the certificates it hands out. */
  rootCertificate(): string;
  close(): Promise<void>;
}

/**
 * The README's Caddyfile for on-demand TLS in front of Servelo at `upstreamPort`, with free ports,
 * no admin endpoint, storage in a temporary directory and nothing installed into the system trust.
 */
export function onDemandCaddyfile(options: { upstreamPort: number; httpPort: number; httpsPort: number; storageDir: string }): string {
  return [
    '{',
    '\tadmin off',
    `\tstorage file_system {`,
    `\t\troot ${options.storageDir}`,
    '\t}',
    '\tskip_install_trust',
    '\tauto_https disable_redirects',
    `\thttp_port ${options.httpPort}`,
    `\thttps_port ${options.httpsPort}`,
    '\ton_demand_tls {',
    `\t\task http://127.0.0.1:${options.upstreamPort}/internal/tls/ask`,
    '\t}',
    '}',
    'https:// {',
    '\tbind 127.0.0.1',
    '\ttls internal {',
    '\t\ton_demand',
    '\t}',
    `\treverse_proxy 127.0.0.1:${options.upstreamPort}`,
    '}',
    '',
  ].join('\n');
}

/** Starts Caddy (a missing binary fails the test with how to install it) and waits until its HTTPS port accepts connections. */
export async function startCaddy(upstreamPort: number): Promise<Caddy> {
  if (!existsSync(CADDY_PATH)) {
    throw new Error(
      `${CADDY_PATH} is missing: the custom-domain TLS test runs a real Caddy. Install it with \`sudo apt-get install -y caddy\` (or set CADDY_PATH).`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'servelo-caddy-'));
  const storageDir = path.join(dir, 'data');
  const httpsPort = await freePort();
  const caddyfile = onDemandCaddyfile({ upstreamPort, httpPort: await freePort(), httpsPort, storageDir });
  const file = path.join(dir, 'Caddyfile');
  writeFileSync(file, caddyfile);
  let output = '';
  const child: ChildProcess = spawn(CADDY_PATH, ['run', '--config', file, '--adapter', 'caddyfile'], {
    cwd: dir,
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 15_000;
  while (!(await accepts(httpsPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Caddy did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    httpsPort,
    caddyfile,
    rootCertificate: () => readFileSync(path.join(storageDir, 'pki', 'authorities', 'local', 'root.crt'), 'utf8'),
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
