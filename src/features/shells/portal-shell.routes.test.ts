import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { defaultWebDir } from '../../platform/http/web-assets.js';
import { createTenant, setTenantLogo, type Tenant } from '../tenants/tenant.service.js';
import { generateLogoPng } from '../tenants/branding.service.js';

const ACME_NAME = 'Acme & Sons <Plumbing>';
const HTML = { accept: 'text/html,application/xhtml+xml' } as const;
const hasWebBuild = existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json'));

/** Every header name and value of a response, for "nothing mentions the platform" checks. */
function headerText(response: LightMyRequestResponse): string {
  return Object.entries(response.headers)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\n');
}

function cspNoncesOf(response: LightMyRequestResponse): string[] {
  const csp = String(response.headers['content-security-policy'] ?? '');
  return [...csp.matchAll(/'nonce-([^']+)'/g)].map((m) => m[1] ?? '');
}

describeEachDialect('portal branding routes', (database) => {
  let t: TestApp;
  let acme: Tenant;
  let globex: Tenant;

  beforeAll(async () => {
    t = await buildTestApp(database());
    const ctx = { db: t.deps.db, clock: t.clock };
    acme = await createTenant(ctx, { slug: 'acme', name: ACME_NAME, accentColor: '#facc15' });
    globex = await createTenant(ctx, { slug: 'globex', name: 'Globex Repairs', accentColor: '#1d4ed8' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves the branded shell at the portal root, escaped and with nonces', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/portal/acme', headers: HTML });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');

    const body = response.body;
    expect(body).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(body).toContain('<title>Acme &#38; Sons &#60;Plumbing&#62;</title>');
    expect(body).not.toContain('<Plumbing>');
    expect(body).toContain('--accent:#facc15');
    expect(body).toContain('--accent-text:#000000');
    expect(body).toContain('<meta name="theme-color" content="#facc15">');
    expect(body).toContain('<div id="root">');

    const nonces = cspNoncesOf(response);
    expect(String(response.headers['content-security-policy'])).toContain("'nonce-");
    const styleNonce = /<style nonce="([^"]+)">/.exec(body)?.[1];
    expect(styleNonce).toBeTruthy();
    expect(nonces).toContain(styleNonce);

    // The bootstrap JSON cannot close its script element and carries the base path.
    const json = /<script type="application\/json" id="portal-bootstrap" nonce="[^"]+">(.*?)<\/script>/s.exec(body)?.[1] ?? '';
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({
      name: ACME_NAME,
      slug: 'acme',
      basePath: '/portal/acme',
      accentColor: '#facc15',
      accentTextColor: '#000000',
      logoUrl: null,
      submissionsEnabled: true,
      currency: 'USD',
      locale: 'en-US',
    });

    expect(body).not.toMatch(/servelo/i);
    expect(headerText(response)).not.toMatch(/servelo/i);
  });

  it('serves the same shell for deep links and a trailing slash', async () => {
    for (const url of ['/portal/acme/', '/portal/acme/tickets/123', '/portal/ACME/tickets/123?tab=files']) {
      const response = await t.app.inject({ method: 'GET', url, headers: HTML });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('<title>Acme &#38; Sons &#60;Plumbing&#62;</title>');
      expect(response.body).toContain('"basePath":"/portal/acme"');
    }
  });

  it('answers the public portal info as JSON', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/portal/acme/api/portal' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.json()).toEqual({
      name: ACME_NAME,
      slug: 'acme',
      accentColor: '#facc15',
      accentTextColor: '#000000',
      logoUrl: null,
      submissionsEnabled: true,
      currency: 'USD',
      locale: 'en-US',
    });
  });

  it('answers a JSON 404 for unknown portal API paths, even from a browser', async () => {
    for (const headers of [{}, HTML]) {
      const response = await t.app.inject({ method: 'GET', url: '/portal/acme/api/nope', headers });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('answers a neutral HTML 404 for an unknown portal, naming no tenant', async () => {
    for (const url of ['/portal/unknown', '/portal/unknown/tickets/1']) {
      const response = await t.app.inject({ method: 'GET', url, headers: HTML });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).not.toContain('Acme');
      expect(response.body).not.toContain('Globex');
      expect(response.body).not.toMatch(/servelo/i);
    }
  });

  it('serves the logo only once one is set, with the stored bytes', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/portal/acme/logo' });
    expect(before.statusCode).toBe(404);
    expect(before.json().error.code).toBe('NOT_FOUND');

    const png = await generateLogoPng(ACME_NAME, '#facc15');
    const key = `tenants/${acme.id}/logo.png`;
    await t.deps.files.put(key, png);
    await setTenantLogo({ db: t.deps.db, clock: t.clock }, acme.id, key);

    const after = await t.app.inject({ method: 'GET', url: '/portal/acme/logo' });
    expect(after.statusCode).toBe(200);
    expect(after.headers['content-type']).toBe('image/png');
    expect(after.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(after.headers['cache-control']).toBe('public, max-age=300');
    expect(after.headers['x-content-type-options']).toBe('nosniff');
    expect(after.rawPayload.equals(png)).toBe(true);

    // The shell and the info now point at it; the other tenant still has none.
    const shell = await t.app.inject({ method: 'GET', url: '/portal/acme', headers: HTML });
    expect(shell.body).toContain('<link rel="icon" href="/portal/acme/logo">');
    expect(shell.body).toContain('<img class="portal-brand__logo" src="/portal/acme/logo"');
    const info = await t.app.inject({ method: 'GET', url: '/portal/acme/api/portal' });
    expect(info.json().logoUrl).toBe('/portal/acme/logo');
    expect((await t.app.inject({ method: 'GET', url: '/portal/globex/logo' })).statusCode).toBe(404);
  });

  it('shows each tenant only its own name and colours', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/portal/globex', headers: HTML });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Globex Repairs</title>');
    expect(response.body).toContain('--accent:#1d4ed8');
    expect(response.body).toContain('--accent-text:#ffffff');
    expect(response.body).not.toContain('Acme');
    expect(response.body).not.toContain(acme.id);

    const info = await t.app.inject({ method: 'GET', url: '/portal/globex/api/portal' });
    expect(info.json()).toMatchObject({ name: 'Globex Repairs', slug: 'globex' });
    expect(JSON.stringify(info.json())).not.toContain(globex.id);
  });

  it('links the built scripts and styles, served with immutable caching', async () => {
    // `npm ci` builds (prepare script) before `npm test`; without a build this test says so.
    expect(hasWebBuild, 'dist/web is missing: run `npm run build` first').toBe(true);
    const shell = await t.app.inject({ method: 'GET', url: '/portal/acme', headers: HTML });
    const scriptNonce = cspNoncesOf(shell)[0];
    const script = /<script type="module" nonce="([^"]+)" src="(\/assets\/[^"]+\.js)"><\/script>/.exec(shell.body);
    const style = /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)">/.exec(shell.body);
    // The vendor chunk the entry imports is announced up front, not discovered after the entry loads.
    expect(shell.body).toMatch(/<link rel="modulepreload" href="\/assets\/[^"]+\.js">/);
    expect(script?.[1]).toBe(scriptNonce);
    expect(style).toBeTruthy();

    for (const url of [script?.[2], style?.[1]]) {
      const asset = await t.app.inject({ method: 'GET', url: url ?? '' });
      expect(asset.statusCode, url).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.body).not.toMatch(/servelo/i);
    }
    expect((await t.app.inject({ method: 'GET', url: '/assets/' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/assets/../.vite/manifest.json' })).statusCode).toBe(404);
  });
});
