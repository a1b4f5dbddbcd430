import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { listInboundMessages, INBOUND_PROCESS_JOB } from '../../src/features/inbound-mail/inbound-mail.service.js';
import { signWebhookBody } from '../../src/features/inbound-mail/inbound-webhook.service.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createDeps } from '../../src/deps.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { buildTestApp, TEST_ORIGIN, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const SECRET = 'a-webhook-secret-for-tests-of-32-characters';
const RELAY = 'mx.relay.example';
const MAX_BYTES = 64 * 1024;

/** The webhook door: a provider posts raw MIME, signed over timestamp + "." + body. */
describeEachDialect('inbound mail: the webhook door', (getDb) => {
  const t = useTestApp(getDb, {
    INBOUND_WEBHOOK_SECRET: SECRET,
    INBOUND_TRUSTED_RELAYS: `other.example, ${RELAY}`,
    INBOUND_MAX_BYTES: String(MAX_BYTES),
  });

  async function replyAddressOf(graph: TenantGraph): Promise<string> {
    return ensureReplyAddress(forTenant(t.deps.db, graph.tenant.id), t.clock, t.deps.appSecret, t.config.inboundDomain, {
      ticketId: graph.ticket.id,
      contactId: graph.contact.id,
    });
  }

  function message(to: string, messageId: string, extraHeaders = ''): Buffer {
    return Buffer.from(
      `${extraHeaders}From: Casey <casey@customer.example>\r\nTo: <${to}>\r\nSubject: Re: Leaking tap\r\n` +
        `Message-ID: ${messageId}\r\nDate: Tue, 24 Nov 2026 09:00:00 +0000\r\n\r\nTuesday works for me.\r\n`,
    );
  }

  const nowSeconds = () => String(Math.floor(t.clock.now().getTime() / 1000));

  function post(body: Buffer, headers: Record<string, string>) {
    return t.app.inject({
      method: 'POST',
      url: '/api/inbound/email',
      headers: { 'content-type': 'message/rfc822', ...headers },
      payload: body,
    });
  }

  function signed(body: Buffer, timestamp = nowSeconds()): Record<string, string> {
    return { 'x-servelo-timestamp': timestamp, 'x-servelo-signature': signWebhookBody(SECRET, timestamp, body) };
  }

  async function storedOf(graph: TenantGraph) {
    return listInboundMessages(forTenant(t.deps.db, graph.tenant.id), 'received', 50);
  }

  async function rawOf(key: string): Promise<Buffer> {
    const object = await t.deps.files.get(key);
    const chunks: Buffer[] = [];
    for await (const chunk of object!.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  it('stores a signed message for the reply address in its headers (202), once: a replay is a duplicate', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const body = message(to, '<signed-1@customer.example>');
    const headers = signed(body);

    const first = await post(body, headers);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: 1, duplicates: 0 });
    const stored = await storedOf(graph);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      door: 'webhook',
      ticketId: graph.ticket.id,
      messageId: '<signed-1@customer.example>',
      authentication: null,
    });
    expect((await rawOf(stored[0]!.rawKey)).equals(body)).toBe(true);
    const jobs = (await listJobs(t.deps.db, { kind: INBOUND_PROCESS_JOB })).filter((j) => j.tenantId === graph.tenant.id);
    expect(jobs).toHaveLength(1);

    // The same signed request again (a provider retrying, or someone replaying it within 5 minutes).
    const replay = await post(body, headers);
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await storedOf(graph)).toHaveLength(1);
  });

  it('takes the envelope recipients from X-Servelo-Recipients, dropping the ones that route nowhere', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    // The headers name nobody of ours: only the provider's envelope says where it goes.
    const body = message('support@customer.example', '<enveloped@customer.example>');
    const response = await post(body, {
      ...signed(body),
      'x-servelo-recipients': `reply+AAAAAAAAAAAAAAAAAAAAAA@${t.config.inboundDomain}, ${to}, nobody@elsewhere.example`,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await storedOf(graph)).toHaveLength(1);
  });

  it('refuses a bad signature, missing headers, and a timestamp more than 5 minutes old or ahead (401), storing nothing', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const body = message(to, '<refused@customer.example>');
    const now = Number(nowSeconds());
    const codeOf = async (headers: Record<string, string>, payload = body) => {
      const response = await post(payload, headers);
      expect(response.statusCode).toBe(401);
      return (response.json() as { error: { code: string } }).error.code;
    };

    expect(await codeOf({})).toBe('INBOUND_SIGNATURE_MISSING');
    expect(await codeOf({ 'x-servelo-timestamp': String(now) })).toBe('INBOUND_SIGNATURE_MISSING');
    expect(await codeOf({ 'x-servelo-signature': signed(body)['x-servelo-signature']! })).toBe('INBOUND_SIGNATURE_MISSING');
    expect(await codeOf({ ...signed(body), 'x-servelo-signature': 'sha256=zz' })).toBe('INBOUND_SIGNATURE_MISSING');
    // Signed with another secret, or for another body, or with the timestamp changed after signing.
    const wrongSecret = `sha256=${signWebhookBody('another-secret-of-at-least-32-characters', String(now), body).slice(7)}`;
    expect(await codeOf({ 'x-servelo-timestamp': String(now), 'x-servelo-signature': wrongSecret })).toBe('INBOUND_SIGNATURE_INVALID');
    expect(await codeOf(signed(Buffer.from('something else')))).toBe('INBOUND_SIGNATURE_INVALID');
    expect(await codeOf({ ...signed(body), 'x-servelo-timestamp': String(now + 1) })).toBe('INBOUND_SIGNATURE_INVALID');
    // Good signatures, out of time: 5 minutes and a second ago, and 5 minutes and a second ahead.
    expect(await codeOf(signed(body, String(now - 301)))).toBe('INBOUND_TIMESTAMP_OUT_OF_RANGE');
    expect(await codeOf(signed(body, String(now + 301)))).toBe('INBOUND_TIMESTAMP_OUT_OF_RANGE');
    // Just inside the window either way is fine — checked after, so the refusals above stored nothing.
    expect(await storedOf(graph)).toHaveLength(0);
    expect((await post(body, signed(body, String(now - 299)))).statusCode).toBe(202);
    expect(await storedOf(graph)).toHaveLength(1);
  });

  it('trusts Authentication-Results only from a relay in INBOUND_TRUSTED_RELAYS', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const trusted = message(
      to,
      '<trusted@customer.example>',
      `Authentication-Results: ${RELAY.toUpperCase()}; dkim=pass (2048-bit key) header.d=customer.example header.s=s1;\r\n` +
        `  spf=softfail (sender not listed) smtp.mailfrom=casey@customer.example;\r\n` +
        `  dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=Customer.Example\r\n` +
        // Further down: one the sender wrote, naming our relay, is never read (the topmost is the relay's).
        `Authentication-Results: ${RELAY}; dmarc=pass header.from=customer.example\r\n`,
    );
    const untrusted = message(
      to,
      '<untrusted@customer.example>',
      'Authentication-Results: mx.forger.example; dkim=pass header.d=customer.example; spf=pass; dmarc=pass header.from=customer.example\r\n',
    );
    for (const body of [trusted, untrusted]) expect((await post(body, signed(body))).statusCode).toBe(202);

    const stored = await storedOf(graph);
    const byId = new Map(stored.map((m) => [m.messageId, m.authentication]));
    expect(byId.get('<trusted@customer.example>')).toEqual({
      source: 'relay',
      dmarc: 'fail',
      fromDomain: 'customer.example',
      spf: 'softfail',
      dkim: 'pass',
    });
    expect(byId.get('<untrusted@customer.example>')).toBeNull();
  });

  it('refuses a body over INBOUND_MAX_BYTES (413) and anything but message/rfc822 (415)', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const big = message(to, '<big@customer.example>', `X-Padding: ${'x'.repeat(MAX_BYTES)}\r\n`);
    const tooLarge = await post(big, signed(big));
    expect(tooLarge.statusCode).toBe(413);
    expect((tooLarge.json() as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const body = message(to, '<json@customer.example>');
    const json = await post(body, { ...signed(body), 'content-type': 'application/octet-stream' });
    expect(json.statusCode).toBe(415);
    expect(await storedOf(graph)).toHaveLength(0);
  });

  it('does not exist while INBOUND_WEBHOOK_SECRET is unset (404)', async () => {
    const bare = await buildTestApp(getDb());
    try {
      expect(bare.config.inbound.webhookSecret).toBeNull();
      const body = Buffer.from('From: a@b.example\r\n\r\nhi\r\n');
      const response = await bare.app.inject({
        method: 'POST',
        url: '/api/inbound/email',
        headers: { 'content-type': 'message/rfc822', ...signed(body) },
        payload: body,
      });
      expect(response.statusCode).toBe(404);
      expect((response.json() as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    } finally {
      await bare.close();
    }
  });

  it('answers 503 with Retry-After while the database is down, so the provider retries', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-data-'));
    // Nothing listens on port 1: every query fails to connect, as with a database that is down.
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      PUBLIC_URL: TEST_ORIGIN,
      DATABASE_URL: 'postgres://servelo@127.0.0.1:1/servelo',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
      INBOUND_WEBHOOK_SECRET: SECRET,
    });
    const deps = createDeps(config, { clock: t.clock, appSecret: t.deps.appSecret });
    const app = await buildApp(config, deps);
    try {
      const body = message(`reply+AAAAAAAAAAAAAAAAAAAAAA@${t.config.inboundDomain}`, '<while-down@customer.example>');
      const response = await app.inject({
        method: 'POST',
        url: '/api/inbound/email',
        headers: { 'content-type': 'message/rfc822', ...signed(body) },
        payload: body,
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect((response.json() as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await app.close();
      await deps.db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
