import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTenantGraph } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

describeEachDialect('sign-in email over a real SMTP server', (getDb) => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp(getDb(), { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'portal@mail.example.com' });
  });
  afterAll(async () => {
    await t.close();
    await t.deps.mailer.close();
    await sink.close();
  });

  it('sends the branded link and code to the contact only, with both parts and the right headers', async () => {
    expect(t.deps.mailer.transport).toBe('smtp');
    const g = await createTenantGraph(t.deps, { name: 'Rivera & Sons "Drains"' });
    const d = new SignInDriver(t);
    expect((await d.requestLink(g.tenant.slug, g.contact.email.toUpperCase())).statusCode).toBe(202);
    await d.deliver();

    expect(sink.received).toHaveLength(1);
    const [received] = sink.received;
    expect(received!.rcptTo).toEqual([g.contact.email]);
    expect(received!.mailFrom).toBe('portal@mail.example.com');
    const mail = await simpleParser(received!.raw);
    expect(mail.from?.value).toEqual([{ name: 'Rivera & Sons "Drains"', address: 'portal@mail.example.com' }]);
    expect(mail.subject).toBe('Your sign-in link for Rivera & Sons "Drains"');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const link = new RegExp(`${TEST_ORIGIN}/portal/${g.tenant.slug}/auth/confirm#token=[A-Za-z0-9_-]{43}`);
    expect(mail.text).toMatch(link);
    expect(mail.html || '').toMatch(link);
    expect(mail.text).toMatch(/\b[A-Z0-9]{4}-[A-Z0-9]{4}\b/);
    expect(mail.html || '').toContain('Rivera &#38; Sons &#34;Drains&#34;');
    expect(mail.html || '').not.toContain('Sons "Drains"');
    expect(received!.raw.toString('utf8').toLowerCase()).not.toContain('servelo');
  });

  it('has no dev mailbox while a real relay is configured', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/_dev/mail/api/messages' })).statusCode).toBe(404);
  });
});
