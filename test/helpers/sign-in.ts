import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { requestSignInLink } from '../../src/features/auth/portal-sign-in-link.service.js';
import { buildJobHandlers } from '../../src/job-handlers.js';
import { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { SAME_ORIGIN_JSON, type TestApp } from './test-app.js';

/** What the dev mailbox API returns for one message. */
export interface DevMail {
  readonly id: string;
  readonly to: string;
  readonly from: { readonly name: string | null; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Record<string, string>;
  readonly attachments: readonly { readonly filename: string; readonly contentType: string; readonly size: number }[];
}

let addressCounter = 0;

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Drives a test app through sign-in the way a browser and the background worker would. */
export class SignInDriver {
  private outbox: OutboxWorker | undefined;

  /** The app may still be on its way (`useTestApp`): the worker is made on first use. */
  constructor(readonly t: TestApp) {}

  private get worker(): OutboxWorker {
    const t = this.t;
    this.outbox ??= new OutboxWorker({
      db: t.deps.db,
      clock: t.clock,
      handlers: buildJobHandlers(t.config, t.deps, silent),
      logger: silent,
    });
    return this.outbox;
  }

  /** Each request comes from its own documentation-range address, so per-address limits only bite where a test means them to. */
  private nextAddress(): string {
    addressCounter += 1;
    return `198.51.${Math.floor(addressCounter / 250) % 250}.${(addressCounter % 250) + 1}`;
  }

  post(path: string, payload: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.t.app.inject({
      method: 'POST',
      url: path,
      headers: { ...SAME_ORIGIN_JSON, ...headers },
      payload: payload as object,
      remoteAddress: this.nextAddress(),
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.t.app.inject({ method: 'GET', url: path, headers, remoteAddress: this.nextAddress() });
  }

  requestLink(slug: string, email: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.post(`/portal/${slug}/api/auth/request-link`, { email }, headers);
  }

  /** Runs the outbox until nothing is due (the worker sends the email in the background). */
  async deliver(): Promise<void> {
    for (let i = 0; i < 20 && (await this.worker.runOnce()) > 0; i++);
  }

  async mailTo(address: string): Promise<DevMail[]> {
    const res = await this.get(`/_dev/mail/api/messages?to=${encodeURIComponent(address)}`);
    expect(res.statusCode).toBe(200);
    return res.json<{ messages: DevMail[] }>().messages;
  }

  async allMail(): Promise<DevMail[]> {
    return (await this.get('/_dev/mail/api/messages?limit=500')).json<{ messages: DevMail[] }>().messages;
  }

  /** Requests a link and returns the token and code from the email that arrives. */
  async linkFor(slug: string, email: string): Promise<{ token: string; code: string; mail: DevMail }> {
    const before = (await this.mailTo(email)).length;
    expect((await this.requestLink(slug, email)).statusCode).toBe(202);
    await this.deliver();
    const mails = await this.mailTo(email);
    expect(mails.length).toBe(before + 1);
    const mail = mails[0]!;
    return { token: tokenOf(mail), code: codeOf(mail), mail };
  }

  /**
   * A new link through the service, past the HTTP limit of one link a minute per address (the
   * limiter counts real time; tests that move the manual clock still need a second link).
   */
  async serviceLinkFor(tenantId: string, email: string): Promise<{ token: string; code: string }> {
    await requestSignInLink(this.t.deps, tenantId, { email }, { ip: null, userAgent: null });
    await this.deliver();
    // The newest sign-in email: a ticket update may have been delivered in the same run.
    const mail = (await this.mailTo(email)).find((m) => m.subject.startsWith('Your sign-in link for '))!;
    return { token: tokenOf(mail), code: codeOf(mail) };
  }

  /**
   * Confirms a link the way the page does: it reads the link first (which sets the page's cookie
   * for it), then POSTs with that cookie — and the browser's session cookie, if given.
   */
  async confirm(slug: string, token: string, cookie?: string): Promise<LightMyRequestResponse> {
    const binding = confirmBindingCookieOf(await this.post(`/portal/${slug}/api/auth/link-info`, { token }));
    return this.confirmUnbound(slug, token, [cookie, binding].filter(Boolean).join('; '));
  }

  /** The confirm POST alone, with only the cookies given: a client that never opened the confirmation page. */
  confirmUnbound(slug: string, token: string, cookie?: string): Promise<LightMyRequestResponse> {
    return this.post(`/portal/${slug}/api/auth/confirm`, { token }, cookie ? { cookie } : {});
  }
}

export function tokenOf(mail: DevMail): string {
  const match = /\/auth\/confirm#token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no sign-in link in: ${mail.text}`);
  return match[1];
}

export function codeOf(mail: DevMail): string {
  const match = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in: ${mail.text}`);
  return match[1];
}

/** `name=value` of the session cookie set by a response, for the next request's Cookie header. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'sid' || c.name === '__Host-sid');
  if (!cookie) throw new Error('no session cookie was set');
  return `${cookie.name}=${cookie.value}`;
}

/** `name=value` of the confirmation page's cookie that a link-info answer set, for the confirm POST. */
export function confirmBindingCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'sign_in_confirm' || c.name === '__Secure-sign_in_confirm');
  if (!cookie?.value) throw new Error(`no confirmation cookie was set (status ${res.statusCode}: ${res.body})`);
  return `${cookie.name}=${cookie.value}`;
}

/** `name=value` of the team session cookie a response set, for the next request's Cookie header. */
export function teamCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'servelo_team' || c.name === '__Host-servelo_team');
  if (!cookie?.value) throw new Error(`no team session cookie was set (status ${res.statusCode}: ${res.body})`);
  return `${cookie.name}=${cookie.value}`;
}
