import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { buildTestApp, SAME_ORIGIN_JSON, TEST_ORIGIN, type TestApp } from '../../../test/helpers/test-app.js';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../clock.js';
import { DevMailboxMailer } from './dev-mailbox-mailer.js';
import { registerDevMailboxRoutes } from './dev-mailbox.routes.js';
import { clearDevMail } from './dev-mailbox.service.js';
import type { OutgoingMail } from './mailer.js';

const LINK = 'https://portal.example.com/portal/acme/auth/confirm#token=abc_DEF';
const HOSTILE_SUBJECT = '<script>alert(1)</script> & "quotes"';

interface MessageJson {
  id: string;
  createdAt: string;
  from: { name: string | null; address: string };
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; size: number }[];
}

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    from: { name: 'Acme <Plumbing>', address: 'no-reply@example.com' },
    to: 'ann@example.com',
    replyTo: 'reply+tok@example.com',
    subject: HOSTILE_SUBJECT,
    text: `Hello,\n\nSign in: ${LINK}.\nOr (https://example.com/a?b=1&c=2) but not javascript:alert(1) nor <b>bold</b>.\n`,
    html: '<html><head><style>p { color: red }</style></head><body><p style="color:blue">Hi</p></body></html>',
    ...overrides,
  };
}

describeEachDialect('dev mailbox routes', (get) => {
  let t: TestApp;
  let mailer: DevMailboxMailer;
  const clock = new ManualClock('2026-11-24T09:00:00.000Z');

  beforeAll(async () => {
    const database = get();
    // app.ts registers these routes once it wires the dev mailbox; until then the test does.
    t = await buildTestApp(database, {}, (app) => {
      if (!app.hasRoute({ method: 'GET', url: '/_dev/mail' })) registerDevMailboxRoutes(app, database.db);
    });
    mailer = new DevMailboxMailer(database.db, { clock });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await clearDevMail(get().db);
  });

  async function sendTwo() {
    await mailer.send(mail({ to: 'bob@example.com', subject: 'First' }));
    clock.advance(1000);
    await mailer.send(mail());
  }

  it('lists messages as JSON, newest first, filtered by recipient and limited', async () => {
    await sendTwo();
    const res = await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { messages } = res.json<{ messages: MessageJson[] }>();
    expect(messages.map((m) => m.subject)).toEqual([HOSTILE_SUBJECT, 'First']);
    expect(messages[0]).toMatchObject({
      from: { name: 'Acme <Plumbing>', address: 'no-reply@example.com' },
      to: 'ann@example.com',
      replyTo: 'reply+tok@example.com',
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    expect(messages[0]?.text).toContain(LINK);
    expect(messages[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const filtered = await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages?to=BOB@example.com' });
    expect(filtered.json<{ messages: MessageJson[] }>().messages.map((m) => m.subject)).toEqual(['First']);
    const limited = await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages?limit=1' });
    expect(limited.json<{ messages: MessageJson[] }>().messages).toHaveLength(1);
    const bad = await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages?limit=0' });
    expect(bad.statusCode).toBe(400);
  });

  it('returns one message as JSON, or a JSON 404', async () => {
    await sendTwo();
    const [latest] = (await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages' })).json<{ messages: MessageJson[] }>().messages;
    const res = await t.app.inject({ method: 'GET', url: `/_dev/mail/api/messages/${latest?.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(latest);

    const missing = await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('lists attachments and serves each as a download', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(512, 1)]);
    await mailer.send(mail({ attachments: [{ filename: 'Quote Q-7 (v2).pdf', contentType: 'application/pdf', content: pdf }] }));
    const [latest] = (await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages' })).json<{ messages: MessageJson[] }>().messages;
    expect(latest?.attachments).toEqual([{ filename: 'Quote Q-7 (v2).pdf', contentType: 'application/pdf', size: pdf.length }]);
    const res = await t.app.inject({ method: 'GET', url: `/_dev/mail/api/messages/${latest?.id}/attachments/0` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="Quote Q-7 (v2).pdf"');
    expect(res.rawPayload.equals(pdf)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/_dev/mail/api/messages/${latest?.id}/attachments/1` })).statusCode).toBe(404);
  });

  it('clears the mailbox with a same-origin DELETE, and refuses a cross-site one', async () => {
    await sendTwo();
    const crossSite = await t.app.inject({ method: 'DELETE', url: '/_dev/mail/api/messages', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'DELETE', url: '/_dev/mail/api/messages', headers: { origin: TEST_ORIGIN } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ deleted: 2 });
    const after = await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages', headers: SAME_ORIGIN_JSON });
    expect(after.json()).toEqual({ messages: [] });
  });

  it('shows an HTML list with every value escaped and a link to each message', async () => {
    await sendTwo();
    const res = await t.app.inject({ method: 'GET', url: '/_dev/mail', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<title>Dev mailbox</title>');
    expect(res.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;');
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('Acme &#60;Plumbing&#62;');
    expect(res.body.indexOf('&#60;script&#62;')).toBeLessThan(res.body.indexOf('>First<'));
    const nonce = /style-src[^;]*'nonce-([0-9a-f]+)'/.exec(String(res.headers['content-security-policy']))?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`<style nonce="${nonce}">`);
    expect(res.body.toLowerCase()).not.toContain('servelo');
    const ids = [...res.body.matchAll(/href="\/_dev\/mail\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
  });

  it('shows a message with its headers, its text part auto-linked safely and its HTML part in a sandboxed frame', async () => {
    await mailer.send(mail());
    const [latest] = (await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages' })).json<{ messages: MessageJson[] }>().messages;
    const res = await t.app.inject({ method: 'GET', url: `/_dev/mail/${latest?.id}`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain(`<a href="${LINK}" target="_blank" rel="noopener noreferrer">${LINK}</a>.`);
    expect(body).toContain('(<a href="https://example.com/a?b=1&#38;c=2" target="_blank" rel="noopener noreferrer">');
    expect(body).toContain('javascript:alert(1) nor &#60;b&#62;bold&#60;/b&#62;');
    expect(body).not.toMatch(/href="javascript:/);
    expect(body).toContain('<dt>Auto-Submitted</dt><dd>auto-generated</dd>');
    expect(body).toContain('<dt>Reply-To</dt><dd>reply+tok@example.com</dd>');
    const frame = /<iframe[^>]*>/.exec(body)?.[0] ?? '';
    expect(frame).toContain(`src="/_dev/mail/${latest?.id}/html"`);
    expect(frame).toMatch(/ sandbox="[^"]*"/);
    expect(frame).not.toContain('allow-scripts');
    expect(frame).not.toContain('allow-same-origin');
    expect(body.toLowerCase()).not.toContain('servelo');
  });

  it('serves the HTML part under its own sandboxing policy, framable by our own pages only', async () => {
    await mailer.send(mail());
    const [latest] = (await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages' })).json<{ messages: MessageJson[] }>().messages;
    const res = await t.app.inject({ method: 'GET', url: `/_dev/mail/${latest?.id}/html` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain('img-src * data:');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toMatch(/(^|; )sandbox( |;|$)/);
    expect(csp).not.toContain('allow-scripts');
    expect(csp).not.toContain('nonce-');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('<p style="color:blue">Hi</p>');
    expect(res.body).toContain('<head><base target="_blank"><style>');
  });

  it('answers an unknown message page with a neutral 404 page', async () => {
    for (const url of ['/_dev/mail/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', '/_dev/mail/nope/html']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
  });
});
