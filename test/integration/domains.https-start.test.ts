import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:tls';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { certificateContextOf, uploadCertificate } from '../../src/features/domains/certificate.service.js';
import { startServer } from '../../src/server.js';
import { insertDomain, makeCertificate, uniqueHost } from '../helpers/domain-certs.js';
import { createTenantGraph } from '../helpers/factories.js';
import { freePort } from '../helpers/free-port.js';
import { describeEachDialect } from '../helpers/test-database.js';

function fingerprintFor(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256.replace(/:/g, '').toLowerCase();
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

describeEachDialect('servelo start with HTTPS_PORT', (getDb) => {
  it('starts the HTTPS listener beside HTTP, serves an uploaded certificate by SNI, and closes it on shutdown', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-https-'));
    const httpsPort = await freePort();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: getDb().url,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      HTTPS_PORT: String(httpsPort),
      LOG_LEVEL: 'warn',
    });
    const server = await startServer(config, () => undefined);
    try {
      expect(server.httpsPort).toBe(httpsPort);
      const host = uniqueHost('start');
      const { tenant } = await createTenantGraph(server.deps);
      const domainId = await insertDomain(server.deps, tenant.id, host, { status: 'verified' });
      const cert = makeCertificate({ names: [host], days: 30 });
      // The system clock runs this server: a certificate counts from the second it was made.
      await new Promise((r) => setTimeout(r, 1100));
      const uploaded = await uploadCertificate(certificateContextOf(config, server.deps), domainId, cert, { kind: 'operator', id: 'op' });
      expect(await fingerprintFor(httpsPort, host)).toBe(uploaded.fingerprint);
      const res = await new Promise<number>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: httpsPort, servername: host, rejectUnauthorized: false }, () => {
          socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (d: Buffer) => (data += d.toString()));
        socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1])));
        socket.on('error', reject);
      });
      expect(res).toBe(200);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    await expect(fingerprintFor(httpsPort, 'anything.certs.test')).rejects.toThrow(/ECONNREFUSED/);
  });
});
