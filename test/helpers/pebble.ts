import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface Pebble {
  readonly directoryUrl: string;
  /** The CA file that signs pebble's own HTTPS (ACME_CA_CERT). */
  readonly caCertFile: string;
  /** GET on the management API (`/roots/0`, `/cert-status-by-serial/<serial>`). */
  management(pathname: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian's pebble on loopback: its own TLS certificate made with openssl, HTTP-01 validated
 * against `httpPort` (Servelo's HTTP listener) at the address `dnsServer` gives for the name.
 */
export async function startPebble(options: { httpPort: number; dnsServer: string }): Promise<Pebble> {
  // Never skipped: without pebble or openssl the test fails here, in CI and anywhere else.
  if (!existsSync('/usr/bin/pebble')) throw new Error('pebble is not installed (apt-get install pebble): the ACME tests need it');
  if (!hasOpenssl()) throw new Error('openssl is not installed (apt-get install openssl): the ACME tests need it');
  const dir = mkdtempSync(path.join(tmpdir(), 'servelo-pebble-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2'].concat([
      '-subj',
      '/CN=pebble',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]),
    { stdio: 'pipe' },
  );
  const [port, managementPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const configFile = path.join(dir, 'pebble.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: cert,
        privateKey: key,
        httpPort: options.httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const child: ChildProcess = spawn('/usr/bin/pebble', ['-config', configFile, '-dnsserver', options.dnsServer], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_CHAIN_LENGTH: '2', PEBBLE_AUTHZREUSE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const agent = new Agent({ ca: execFileSync('cat', [cert]).toString(), keepAlive: false });
  const request = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  for (let i = 0; ; i++) {
    try {
      await request(directoryUrl);
      await request(`https://127.0.0.1:${managementPort}/roots/0`);
      break;
    } catch (error) {
      if (i > 100 || child.exitCode !== null) throw new Error(`pebble did not start: ${String(error)}\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    directoryUrl,
    caCertFile: cert,
    management: (pathname) => request(`https://127.0.0.1:${managementPort}${pathname}`),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
