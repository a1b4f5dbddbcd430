import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { buildTestApp, SAME_ORIGIN_JSON, TEST_ORIGIN, type TestApp } from '../../../test/helpers/test-app.js';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { AppError } from '../errors.js';

/** Routes that exist only in this test, to drive the platform's error handling and guards. */
function addProbeRoutes(app: FastifyInstance): void {
  app.get('/api/test/boom', async () => {
    throw new Error('secret database password in /srv/app/db.ts:42');
  });
  app.get('/api/test/conflict', async () => {
    throw new AppError('CONFLICT');
  });
  app
    .withTypeProvider<ZodTypeProvider>()
    .post('/api/test/echo', { schema: { body: z.strictObject({ name: z.string().min(2) }) } }, async (request) => ({
      name: request.body.name,
    }));
}

describeEachDialect('HTTP platform', (getDb) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(getDb(), {}, addProbeRoutes);
  });
  afterAll(async () => t.close());

  it('answers an unknown API route with a JSON 404 carrying a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json<{ error: { code: string; message: string; requestId: string } }>();
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers an unknown page with a neutral HTML page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/somewhere', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Page not found');
    expect(res.body).toContain(String(res.headers['x-request-id']));
    expect(res.body.toLowerCase()).not.toContain('servelo');
  });

  it('turns an unexpected error into a 500 with a request id and nothing internal', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/test/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json<{ error: { code: string; message: string; requestId: string } }>();
    expect(body.error.code).toBe('INTERNAL_ERROR');
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).not.toMatch(/secret|password|db\.ts|at \w+ \(/);
  });

  it('maps an AppError to its status and stable code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/test/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('CONFLICT');
  });

  it('rejects invalid and unknown body fields with VALIDATION_FAILED and details', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: SAME_ORIGIN_JSON,
      payload: { name: 'x', role: 'owner' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; details: { path: string; message: string }[] } }>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.length).toBeGreaterThanOrEqual(1);
  });

  it('rejects malformed JSON and non-JSON bodies', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/test/echo', headers: SAME_ORIGIN_JSON, payload: '{"name":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('INVALID_JSON');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { origin: TEST_ORIGIN, 'content-type': 'text/plain' },
      payload: 'name=bob',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json<{ error: { code: string } }>().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts same-origin writes and refuses cross-site ones', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { ...SAME_ORIGIN_JSON, 'sec-fetch-site': 'same-origin' },
      payload: { name: 'Bo' },
    });
    expect(ok.statusCode).toBe(200);
    const cases: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', origin: TEST_ORIGIN },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      {},
    ];
    for (const headers of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/test/echo',
        headers: { 'content-type': 'application/json', ...headers },
        payload: { name: 'Bo' },
      });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('CROSS_SITE_REQUEST');
    }
  });

  it('sets the security headers and never X-Powered-By', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = String(res.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "'nonce-"])
      expect(csp).toContain(directive);
    // HSTS only when served over HTTPS.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('does not trust a client-supplied request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'injected' } });
    expect(res.headers['x-request-id']).not.toBe('injected');
  });

  it('reports readiness from the database and publishes OpenAPI', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(spec.openapi).toBe('3.1.0');
    // The public document is the portal's (health and team routes are not part of it).
    expect(Object.keys(spec.paths)).toContain('/portal/{slug}/api/tickets');
    expect(Object.keys(spec.paths)).not.toContain('/readyz');
  });
});

describeEachDialect('HTTP platform over HTTPS', (getDb) => {
  it('sends HSTS when the public URL is HTTPS', async () => {
    const t = await buildTestApp(getDb(), { PUBLIC_URL: 'https://desk.example.com' });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      // Other hosts of the domain may not be on HTTPS: they are left out unless the operator says so.
      expect(res.headers['strict-transport-security']).not.toMatch(/includeSubDomains/i);
    } finally {
      await t.close();
    }
  });

  it('adds includeSubDomains to HSTS when HSTS_INCLUDE_SUBDOMAINS=true', async () => {
    const t = await buildTestApp(getDb(), { PUBLIC_URL: 'https://desk.example.com', HSTS_INCLUDE_SUBDOMAINS: 'true' });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await t.close();
    }
  });
});
