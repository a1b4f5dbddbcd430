import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import dns2 from 'dns2';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listInboundMessages, INBOUND_PROCESS_JOB } from '../../src/features/inbound-mail/inbound-mail.service.js';
import { type InboundSmtpListener, startInboundSmtpListener } from '../../src/features/inbound-mail/inbound-smtp.listener.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { createDb } from '../../src/platform/db/create-db.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const run = promisify(execFile);
const MAX_BYTES = 64 * 1024;
/** The sending domain the test's DNS server answers for: a DKIM key, SPF for one other address, DMARC p=reject. */
const DOMAIN = 'signed.example';
const SELECTOR = 's1';

/** swaks is a Debian package; .ci/run installs it. A machine without it fails here, saying so. */
function requireTool(name: string, args: string[], hint: string): void {
  try {
    execFileSync(name, args, { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} is missing: ${hint} (bash .ci/run installs it)`);
  }
}

/** A DNS server on 127.0.0.1 holding the sending domain's records; every other name does not exist. */
const { Packet, UDPServer } = dns2;

async function startDns(records: Record<string, string>): Promise<{ server: dns2.UDPServer; port: number }> {
  const server = new UDPServer((request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    const value = question ? records[`${question.type}:${question.name.toLowerCase()}`] : undefined;
    if (question && value !== undefined) {
      const chunks = value.match(/.{1,250}/g) ?? [''];
      response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data: chunks } as never);
    } else {
      response.header.rcode = 3; // NXDOMAIN
    }
    void send(response);
  });
  await server.listen(0, '127.0.0.1');
  return { server, port: (server.address() as { port: number }).port };
}

describeEachDialect('inbound mail: the SMTP door', (getDb) => {
  const t = useTestApp(getDb);
  let dir: string;
  let dns: { server: dns2.UDPServer; port: number };
  let plain: InboundSmtpListener;
  let tls: InboundSmtpListener;
  let certPem: Buffer;
  let dkimKey: string;
  let wakes = 0;
  const logged: string[] = [];

  beforeAll(async () => {
    requireTool('swaks', ['--version'], 'install it with `apt-get install -y swaks`');
    requireTool('openssl', ['version'], 'install it with `apt-get install -y openssl`');
    dir = mkdtempSync(path.join(tmpdir(), 'servelo-smtp-'));
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    dkimKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    dns = await startDns({
      [`${Packet.TYPE.TXT}:${SELECTOR}._domainkey.${DOMAIN}`]: `v=DKIM1; k=rsa; p=${publicKey}`,
      [`${Packet.TYPE.TXT}:${DOMAIN}`]: 'v=spf1 ip4:192.0.2.10 -all',
      [`${Packet.TYPE.TXT}:_dmarc.${DOMAIN}`]: 'v=DMARC1; p=reject',
    });
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dns.port}`]);

    // A self-signed certificate for 127.0.0.1, made for this run.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' }); // prettier-ignore
    certPem = readFileSync(path.join(dir, 'cert.pem'));

    const deps = { db: t.deps.db, clock: t.deps.clock, files: t.deps.files, inboundDomain: t.config.inboundDomain };
    const common = {
      host: '127.0.0.1',
      port: 0,
      maxBytes: MAX_BYTES,
      logger: { info: (_o: object, m?: string) => logged.push(m ?? ''), warn: () => undefined, error: () => undefined },
      wakeWorker: () => (wakes += 1),
      resolver: (name: string, type: string) => resolver.resolve(name, type as 'TXT') as Promise<string[][]>,
    };
    plain = await startInboundSmtpListener(deps, { ...common, tls: null });
    tls = await startInboundSmtpListener(deps, {
      ...common,
      tls: { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') },
    });
  });

  afterAll(async () => {
    await plain?.close();
    await tls?.close();
    dns?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function replyAddressOf(graph: TenantGraph): Promise<string> {
    return ensureReplyAddress(forTenant(t.deps.db, graph.tenant.id), t.clock, t.deps.appSecret, t.config.inboundDomain, {
      ticketId: graph.ticket.id,
      memberId: graph.member.id,
    });
  }

  const stored = (graph: TenantGraph) => listInboundMessages(forTenant(t.deps.db, graph.tenant.id), 'received', 50);

  async function rawOf(key: string): Promise<Buffer> {
    const object = await t.deps.files.get(key);
    const chunks: Buffer[] = [];
    for await (const chunk of object!.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  function mime(to: string, messageId: string, from = 'Casey <casey@customer.example>', body = 'Tuesday works for me.'): Buffer {
    return Buffer.from(
      `From: ${from}\r\nTo: <${to}>\r\nSubject: Re: Leaking tap\r\nMessage-ID: ${messageId}\r\n` +
        `Date: Tue, 24 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
    );
  }

  function transport(port: number, options: Record<string, unknown> = {}) {
    return nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      name: 'client.customer.example',
      ...options,
    });
  }

  async function swaks(port: number, args: string[]): Promise<{ ok: boolean; output: string }> {
    try {
      const { stdout, stderr } = await run('swaks', [
        '--server',
        '127.0.0.1',
        '--port',
        String(port),
        '--helo',
        'client.customer.example',
        ...args,
      ]);
      return { ok: true, output: stdout + stderr };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }

  it('stores a message delivered by swaks and by nodemailer byte for byte, queues its job and wakes the worker', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const bySwaks = mime(to, '<swaks-1@customer.example>');
    // swaks ends the data with its own CRLF before the final dot: the file leaves the last one out.
    writeFileSync(path.join(dir, 'swaks.eml'), bySwaks.subarray(0, -2));
    const wakesBefore = wakes;

    const sent = await swaks(plain.port, ['--from', 'casey@customer.example', '--to', to, '--data', `@${path.join(dir, 'swaks.eml')}`]);
    expect(sent.output).toMatch(/<- {2}250 2\.0\.0 Message accepted/);
    expect(sent.ok).toBe(true);

    const byNodemailer = mime(to, '<nodemailer-1@customer.example>', 'Casey <casey@customer.example>', 'Also, the gate code is 1234.');
    const info = await transport(plain.port).sendMail({ envelope: { from: 'casey@customer.example', to: [to] }, raw: byNodemailer });
    expect(info.accepted).toEqual([to]);
    expect(info.response).toMatch(/^250 /);

    const rows = await stored(graph);
    expect(rows).toHaveLength(2);
    const byId = new Map(rows.map((r) => [r.messageId, r]));
    const swaksRow = byId.get('<swaks-1@customer.example>')!;
    const nodemailerRow = byId.get('<nodemailer-1@customer.example>')!;
    expect(swaksRow).toMatchObject({ door: 'smtp', envelopeFrom: 'casey@customer.example', ticketId: graph.ticket.id });
    expect((await rawOf(swaksRow.rawKey)).equals(bySwaks)).toBe(true);
    expect((await rawOf(nodemailerRow.rawKey)).equals(byNodemailer)).toBe(true);
    // mailauth ran: nothing in DNS for customer.example, so no DMARC policy applies.
    expect(swaksRow.authentication).toMatchObject({ source: 'mailauth', dmarc: 'none', fromDomain: 'customer.example', dkim: 'none' });

    const jobs = (await listJobs(t.deps.db, { kind: INBOUND_PROCESS_JOB })).filter((j) => j.tenantId === graph.tenant.id);
    expect(jobs.map((j) => (JSON.parse(String(j.payload)) as { inboundMessageId: string }).inboundMessageId).sort()).toEqual(
      [swaksRow.id, nodemailerRow.id].sort(),
    );
    expect(wakes - wakesBefore).toBe(2);
  });

  it('keeps a null return path as an empty envelope sender', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const raw = mime(to, '<null-sender@customer.example>', 'Mail Delivery System <mailer-daemon@customer.example>');
    await transport(plain.port).sendMail({ envelope: { from: '', to: [to] }, raw });
    expect((await stored(graph))[0]).toMatchObject({ envelopeFrom: '', messageId: '<null-sender@customer.example>' });
  });

  it('refuses an unknown recipient at RCPT (550) and stores nothing, never bouncing', async () => {
    const graph = await createTenantGraph(t.deps);
    const known = await replyAddressOf(graph);
    const forged = known.replace(/reply\+.{6}/, 'reply+AAAAAA');
    const loggedBefore = logged.length;

    const sent = await swaks(plain.port, ['--from', 'casey@customer.example', '--to', forged]);
    expect(sent.ok).toBe(false);
    expect(sent.output).toMatch(/<\*\* 550 5\.1\.1 No such recipient here/);
    const viaNodemailer = transport(plain.port).sendMail({
      envelope: { from: 'casey@customer.example', to: [`someone@${t.config.inboundDomain}`] },
      raw: mime(known, '<unknown@customer.example>'),
    });
    await expect(viaNodemailer).rejects.toMatchObject({ responseCode: 550 });
    expect(await stored(graph)).toHaveLength(0);
    expect(logged.slice(loggedBefore)).toEqual(['inbound mail: unknown recipient refused', 'inbound mail: unknown recipient refused']);
  });

  it('refuses a message over the size limit (552), whether announced with SIZE or not, and stores nothing', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const big = mime(to, '<big@customer.example>', 'Casey <casey@customer.example>', 'x'.repeat(76).concat('\r\n').repeat(1000));
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    // nodemailer announces the size in MAIL FROM (SIZE extension): refused before any data is sent.
    await expect(
      transport(plain.port).sendMail({ envelope: { from: 'casey@customer.example', to: [to] }, raw: big }),
    ).rejects.toMatchObject({
      responseCode: 552,
    });
    // swaks does not: the stream is counted and the answer after DATA is 552.
    writeFileSync(path.join(dir, 'big.eml'), big);
    const sent = await swaks(plain.port, ['--from', 'casey@customer.example', '--to', to, '--data', `@${path.join(dir, 'big.eml')}`]);
    expect(sent.ok).toBe(false);
    expect(sent.output).toMatch(/<\*\* 552 5\.3\.4 Message too big/);
    expect(await stored(graph)).toHaveLength(0);
  });

  it('stores two deliveries of one Message-ID once, answering 250 to both', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const raw = mime(to, '<twice@customer.example>');
    for (let i = 0; i < 2; i++) {
      const info = await transport(plain.port).sendMail({ envelope: { from: 'casey@customer.example', to: [to] }, raw });
      expect(info.response).toMatch(/^250 /);
    }
    expect(await stored(graph)).toHaveLength(1);
    expect((await listJobs(t.deps.db, { kind: INBOUND_PROCESS_JOB })).filter((j) => j.tenantId === graph.tenant.id)).toHaveLength(1);
  });

  it('offers STARTTLS only with a configured certificate, and takes mail over it', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const raw = mime(to, '<over-tls@customer.example>');
    const secured = transport(tls.port, { ignoreTLS: false, requireTLS: true, tls: { ca: certPem } });
    expect((await secured.sendMail({ envelope: { from: 'casey@customer.example', to: [to] }, raw })).response).toMatch(/^250 /);
    const bySwaks = mime(to, '<swaks-tls@customer.example>');
    writeFileSync(path.join(dir, 'tls.eml'), bySwaks);
    const sent = await swaks(tls.port, ['-tls', '--from', 'casey@customer.example', '--to', to, '--data', `@${path.join(dir, 'tls.eml')}`]);
    expect(sent.output).toMatch(/=== TLS started with cipher/);
    expect(sent.ok).toBe(true);
    expect((await stored(graph)).map((r) => r.messageId).sort()).toEqual(['<over-tls@customer.example>', '<swaks-tls@customer.example>']);

    // The listener without a certificate never offers it (smtp-server would otherwise use a built-in one).
    const refused = transport(plain.port, { ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    await expect(refused.sendMail({ envelope: { from: 'casey@customer.example', to: [to] }, raw })).rejects.toThrow(/STARTTLS/);
  });

  it('verifies DKIM, SPF and DMARC with mailauth against the domain’s DNS: signed → pass, unsigned and unauthorised → fail', async () => {
    const graph = await createTenantGraph(t.deps);
    const to = await replyAddressOf(graph);
    const signedTransport = transport(plain.port, { dkim: { domainName: DOMAIN, keySelector: SELECTOR, privateKey: dkimKey } });
    await signedTransport.sendMail({
      from: `Ann <ann@${DOMAIN}>`,
      to,
      subject: 'Re: Leaking tap',
      text: 'Signed, from the right key.',
      messageId: `<dkim-signed@${DOMAIN}>`,
    });
    // Same domain, no signature, from 127.0.0.1 which its SPF record does not list: a spoof, under p=reject.
    await transport(plain.port).sendMail({
      from: `Ann <ann@${DOMAIN}>`,
      to,
      subject: 'Re: Leaking tap',
      text: 'Not really Ann.',
      messageId: `<unsigned@${DOMAIN}>`,
    });
    const byId = new Map((await stored(graph)).map((r) => [r.messageId, r.authentication]));
    expect(byId.get(`<dkim-signed@${DOMAIN}>`)).toEqual({
      source: 'mailauth',
      dmarc: 'pass',
      fromDomain: DOMAIN,
      spf: 'fail',
      dkim: 'pass',
    });
    expect(byId.get(`<unsigned@${DOMAIN}>`)).toEqual({ source: 'mailauth', dmarc: 'fail', fromDomain: DOMAIN, spf: 'fail', dkim: 'none' });
  });

  it('answers 451 (try again later) while the database is down, so the sending server keeps the message', async () => {
    // Nothing listens on port 1: every query fails to connect, as with a database that is down.
    const down = createDb({ kind: 'postgres', url: 'postgres://servelo@127.0.0.1:1/servelo', poolMax: 1, connectTimeoutMs: 500 });
    const listener = await startInboundSmtpListener(
      { db: down, clock: t.deps.clock, files: t.deps.files, inboundDomain: t.config.inboundDomain },
      {
        host: '127.0.0.1',
        port: 0,
        maxBytes: MAX_BYTES,
        tls: null,
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        wakeWorker: () => undefined,
      },
    );
    try {
      const graph = await createTenantGraph(t.deps);
      const to = await replyAddressOf(graph);
      const sent = await swaks(listener.port, ['--from', 'casey@customer.example', '--to', to]);
      expect(sent.ok).toBe(false);
      expect(sent.output).toMatch(/<\*\* 451 4\.3\.0 Temporary failure/);
      expect(await stored(graph)).toHaveLength(0);
    } finally {
      await listener.close();
      await down.destroy();
    }
  });
});
