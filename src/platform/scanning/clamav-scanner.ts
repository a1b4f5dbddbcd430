import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ScannerUnavailableError, type FileScanner, type ScanVerdict } from './file-scanner.js';

/** Where clamd listens: `tcp://host:port` or `unix:/path/to/clamd.ctl`. */
export type ClamdAddress =
  { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

/** Parses CLAMAV_URL; undefined when it is neither form (config.ts reports that). */
export function parseClamdUrl(url: string): ClamdAddress | undefined {
  if (url.startsWith('unix:')) {
    const socketPath = url.slice('unix:'.length).replace(/^\/\/(?=\/)/, '');
    return socketPath.startsWith('/') ? { kind: 'unix', path: socketPath } : undefined;
  }
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(url);
  if (!tcp) return undefined;
  const port = Number(tcp[2]);
  if (port < 1 || port > 65535) return undefined;
  return { kind: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port };
}

export interface ClamdOptions {
  /** Longest silence from clamd (connecting, or while it scans) before the scan counts as failed. */
  readonly idleTimeoutMs?: number;
}

/**
 * clamd's INSTREAM command over a socket, the protocol in full: `zINSTREAM\0`, then the bytes in
 * chunks each prefixed by its length (4 bytes, big-endian), then a zero length; clamd answers one
 * NUL-terminated line, `stream: OK` or `stream: <signature> FOUND`, and closes the connection.
 * Anything else (`… ERROR`, such as the size limit exceeded, or no answer) is a failed scan.
 */
export class ClamdScanner implements FileScanner {
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly address: ClamdAddress,
    options: ClamdOptions = {},
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  async scan(body: Readable): Promise<ScanVerdict> {
    const reply = await this.exchange('zINSTREAM\0', (socket) => streamChunks(socket, body)).finally(() => body.destroy());
    if (reply === 'stream: OK') return { kind: 'clean' };
    const found = /^stream: (.+) FOUND$/.exec(reply);
    if (found) return { kind: 'infected', signature: found[1]! };
    throw new ScannerUnavailableError(`clamd gave no verdict: ${JSON.stringify(reply.slice(0, 200))}`);
  }

  async ping(): Promise<void> {
    const reply = await this.exchange('zPING\0');
    if (reply !== 'PONG') throw new ScannerUnavailableError(`clamd answered PING with ${JSON.stringify(reply.slice(0, 200))}`);
  }

  /** Sends one command (and its payload) and resolves with clamd's reply, without its NUL. */
  private exchange(command: string, send?: (socket: Socket) => Promise<void>): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket =
        this.address.kind === 'tcp' ? connect({ host: this.address.host, port: this.address.port }) : connect({ path: this.address.path });
      const received: Buffer[] = [];
      let failure: Error | undefined;
      let timedOut = false;
      socket.setTimeout(this.idleTimeoutMs, () => {
        timedOut = true;
        failure = new Error(`no answer within ${this.idleTimeoutMs} ms`);
        socket.destroy();
      });
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.on('error', (error) => {
        failure ??= error;
      });
      socket.once('connect', () => {
        socket.write(command);
        if (!send) return;
        send(socket).then(
          () => undefined,
          (error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(String(error));
            socket.destroy();
          },
        );
      });
      // clamd closes the connection after its reply. A reply that came before a write error (clamd
      // refusing a stream mid-way, say for its size limit) is still the answer that counts.
      socket.once('close', () => {
        const reply = Buffer.concat(received).toString('utf8').replace(/\0+$/, '').trim();
        if (reply !== '' && !timedOut) {
          resolve(reply);
        } else {
          const where = this.address.kind === 'tcp' ? `${this.address.host}:${this.address.port}` : this.address.path;
          reject(
            new ScannerUnavailableError(`clamd at ${where} is unavailable: ${failure?.message ?? 'closed without an answer'}`, {
              cause: failure,
            }),
          );
        }
      });
    });
  }
}

/** clamd's default StreamMaxLength is far above this; small chunks keep memory flat. */
const MAX_CHUNK = 64 * 1024;

async function streamChunks(socket: Socket, body: Readable): Promise<void> {
  for await (const data of body) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : (data as Buffer);
    for (let offset = 0; offset < chunk.length; offset += MAX_CHUNK) {
      if (socket.destroyed || socket.writableEnded) return;
      const piece = chunk.subarray(offset, offset + MAX_CHUNK);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(piece.length);
      if (!socket.write(Buffer.concat([length, piece]))) await drained(socket);
    }
  }
  if (!socket.destroyed) socket.write(Buffer.alloc(4));
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
