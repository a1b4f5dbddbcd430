import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

interface Answer {
  readonly status: number;
  readonly connection: string | undefined;
  readonly body: string;
}

/** One GET through a keep-alive agent; rejects on a reset connection. */
function get(agent: http.Agent, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
  });
}

/**
 * Shutting down under load: a request that arrives on a keep-alive connection the client already
 * holds, after shutdown began, gets a 503 that tells it to reconnect — never a reset — while the
 * requests already under way finish.
 */
describeEachDialect('shutdown with keep-alive connections open', (getDb) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp(getDb(), {}, (app) => {
      app.get('/api/test/slow', async () => {
        await new Promise((resolve) => setTimeout(resolve, 600));
        return { finished: true };
      });
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => t.close());

  it('answers 503 with Connection: close on an idle keep-alive connection and finishes the slow request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    try {
      // Two connections the client keeps open, idle.
      const warm = await Promise.all([get(agent, `${base}/healthz`), get(agent, `${base}/healthz`)]);
      expect(warm.map((a) => a.status)).toEqual([200, 200]);
      const slow = get(agent, `${base}/api/test/slow`);
      await new Promise((resolve) => setTimeout(resolve, 100));

      const closing = t.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const late = await get(agent, `${base}/healthz`);
      expect(late.status).toBe(503);
      expect(late.connection).toBe('close');

      expect(await slow).toMatchObject({ status: 200, body: '{"finished":true}' });
      await closing;
    } finally {
      agent.destroy();
    }
  }, 30_000);
});
