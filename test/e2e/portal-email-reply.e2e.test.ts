import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type InboundSmtpListener, startInboundSmtpListener } from '../../src/features/inbound-mail/inbound-smtp.listener.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, openContext, PHONE, saveShot, type StorageState } from './portal-page-checks.js';
import { signInThroughEmail } from './portal-session.js';

const SHOTS = path.resolve('test-results', 'portal-email-reply');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A team member answers a ticket from their own mail client (to the Reply-To of their notification,
 * over SMTP to the inbound listener); the customer, signed in on a phone, sees the answer on the
 * ticket's page — the new text only, not the quoted history.
 */
describeWithBrowser('an emailed team reply in the portal, in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let listener: InboundSmtpListener;
  let g: TenantGraph;
  let signedIn: StorageState;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    browser = await launchChromium();
    g = await createTenantGraph(server.deps, { name: 'Harbour & Sons Plumbing' });
    const nxdomain = async () => {
      throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' });
    };
    listener = await startInboundSmtpListener(
      { db: server.deps.db, clock: server.deps.clock, files: server.deps.files, inboundDomain: server.config.inboundDomain },
      { host: '127.0.0.1', port: 0, maxBytes: 1024 * 1024, logger: silent, wakeWorker: () => undefined, resolver: nxdomain, tls: null },
    );
    signedIn = await signInThroughEmail(server, browser, `${server.origin}/portal/${g.tenant.slug}`, g.contact.email);
  }, 90_000);
  afterAll(async () => {
    await listener?.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the new text of the emailed answer on the ticket, by the team member', async () => {
    const replyTo = await ensureReplyAddress(
      forTenant(server.deps.db, g.tenant.id),
      server.deps.clock,
      server.deps.appSecret,
      server.config.inboundDomain,
      {
        ticketId: g.ticket.id,
        memberId: g.member.id,
      },
    );
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: `${g.member.name} <${g.member.email}>`,
      to: replyTo,
      subject: `Re: [#${g.ticket.number}] ${g.ticket.title}`,
      text: `Our plumber can come on Tuesday between 9 and 11.\n\nOn Sun, 6 Dec 2026 at 10:00, Harbour & Sons wrote:\n> The customer wrote: it leaks.\n`,
    });
    transport.close();
    for (let i = 0; i < 10 && (await server.worker.runOnce()) > 0; i++);

    const { context, page, problems } = await openContext(browser, PHONE, signedIn);
    await page.goto(`${server.origin}/portal/${g.tenant.slug}/tickets/${g.ticket.id}`);
    const answer = page.getByText('Our plumber can come on Tuesday between 9 and 11.');
    await answer.waitFor();
    expect(await page.getByText('The customer wrote: it leaks.').count()).toBe(0);
    await expectNoAxeViolations(page, 'ticket with an emailed reply');
    await expectNoHorizontalScroll(page, 'ticket with an emailed reply');
    await saveShot(page, SHOTS, 'phone-ticket-with-emailed-reply');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
