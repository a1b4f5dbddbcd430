import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR, startClamd, type Clamd } from '../../../test/helpers/clamd.js';
import { ClamdScanner, parseClamdUrl } from './clamav-scanner.js';
import { ScannerUnavailableError } from './file-scanner.js';

/** A stream of `size` bytes in chunks of `chunk`, with `tail` at the end. */
function bytes(size: number, chunk: number, tail = Buffer.alloc(0)): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(tail);
        this.push(null);
        return;
      }
      const n = Math.min(chunk, size - sent);
      sent += n;
      this.push(Buffer.alloc(n, 0x61));
    },
  });
}

describe('ClamdScanner against a real clamd', () => {
  let clamd: Clamd;
  let scanner: ClamdScanner;
  beforeAll(async () => {
    clamd = await startClamd();
    scanner = new ClamdScanner(parseClamdUrl(clamd.url)!, { idleTimeoutMs: 5000 });
  }, 60_000);
  afterAll(async () => {
    await clamd?.close();
  });

  it('answers PING and finds the EICAR test file by its signature', async () => {
    await scanner.ping();
    const verdict = await scanner.scan(Readable.from([EICAR]));
    expect(verdict.kind).toBe('infected');
    expect(verdict.kind === 'infected' && verdict.signature).toMatch(/eicar/i);
  });

  it('finds clean bytes clean, also when they arrive in many chunks larger than one INSTREAM chunk', async () => {
    expect(await scanner.scan(Readable.from([Buffer.from('Model X boiler manual\n')]))).toEqual({ kind: 'clean' });
    expect(await scanner.scan(bytes(3 * 1024 * 1024 + 17, 200_000))).toEqual({ kind: 'clean' });
    expect(await scanner.scan(Readable.from([]))).toEqual({ kind: 'clean' });
  });

  it('never reads a refusal as clean: a stream beyond clamd’s StreamMaxLength is an error', async () => {
    await expect(scanner.scan(bytes(13 * 1024 * 1024, 1024 * 1024, EICAR))).rejects.toBeInstanceOf(ScannerUnavailableError);
  });

  it('throws ScannerUnavailableError while clamd is stopped, and scans again once it is back', async () => {
    await clamd.stop();
    await expect(scanner.ping()).rejects.toBeInstanceOf(ScannerUnavailableError);
    const body = Readable.from([EICAR]);
    await expect(scanner.scan(body)).rejects.toThrow(/unavailable/);
    expect(body.destroyed).toBe(true);
    await clamd.start();
    expect((await scanner.scan(Readable.from([EICAR]))).kind).toBe('infected');
  }, 60_000);
});

describe('parseClamdUrl', () => {
  it('reads tcp://host:port and unix:/path, and nothing else', () => {
    expect(parseClamdUrl('tcp://127.0.0.1:3310')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3310 });
    expect(parseClamdUrl('tcp://clamav.internal:3310')).toEqual({ kind: 'tcp', host: 'clamav.internal', port: 3310 });
    expect(parseClamdUrl('tcp://[::1]:3310')).toEqual({ kind: 'tcp', host: '::1', port: 3310 });
    expect(parseClamdUrl('unix:/run/clamav/clamd.ctl')).toEqual({ kind: 'unix', path: '/run/clamav/clamd.ctl' });
    expect(parseClamdUrl('unix:///run/clamav/clamd.ctl')).toEqual({ kind: 'unix', path: '/run/clamav/clamd.ctl' });
    for (const bad of ['tcp://host', 'tcp://host:0', 'tcp://host:70000', 'http://host:3310', 'unix:relative.sock', 'clamd']) {
      expect(parseClamdUrl(bad), bad).toBeUndefined();
    }
  });
});
