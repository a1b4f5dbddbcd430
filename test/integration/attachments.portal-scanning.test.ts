import { afterAll, beforeAll, expect, it } from 'vitest';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { addTeamMember } from '../../src/features/team/team.service.js';
import { EICAR, startClamd, type Clamd } from '../helpers/clamd.js';
import { teamCookieFor, uniqueEmail } from '../helpers/factories.js';
import { multipartBody, sendMultipart } from '../helpers/multipart-upload.js';
import { file, text, usePortalFiles } from '../helpers/portal-files.js';
import { TEST_ORIGIN } from '../helpers/test-app.js';
import { pngOf } from '../helpers/image-fixtures.js';
import { teamApi, type TeamApi } from '../helpers/team-api.js';
import { describeEachDialect } from '../helpers/test-database.js';

const SCAN_JOB = 'files.scan';

async function codeOf(res: Response): Promise<[number, string]> {
  return [res.status, ((await res.json()) as { error: { code: string } }).error.code];
}

interface Attachment {
  id: string;
  name: string;
  status: string;
  scan: string;
}

/** Malware scanning of uploads with a real clamd (a one-signature database: EICAR's hash). */
describeEachDialect('portal files with a malware scanner', (getDb) => {
  let clamd: Clamd | undefined;
  beforeAll(async () => {
    clamd = await startClamd();
  });
  afterAll(async () => {
    await clamd?.close();
  });
  const w = usePortalFiles(getDb, () => ({ CLAMAV_URL: clamd!.url }));
  const { upload, get, post, ok, drainWorker, objectsOf } = w;
  let agent: TeamApi;
  let admin: TeamApi;
  const adminEmail = uniqueEmail('admin', 'harbor.example.com');
  const agentEmail = uniqueEmail('agent', 'harbor.example.com');
  beforeAll(async () => {
    const member = await addTeamMember(w.t.deps, w.tenant.id, { email: agentEmail, name: 'Sam', role: 'agent' });
    // Owners and admins are told about customer activity by default; agents are not.
    const ada = await addTeamMember(w.t.deps, w.tenant.id, { email: adminEmail, name: 'Ada', role: 'admin' });
    admin = teamApi(w.t, await teamCookieFor(w.t, w.tenant.id, ada.id));
    agent = teamApi(w.t, await teamCookieFor(w.t, w.tenant.id, member.id));
  });

  const scanJobsOf = (fileId: string) =>
    w.t.deps.db
      .selectFrom('outbox')
      .select(['status', 'attempts', 'run_at', 'last_error'])
      .where('kind', '=', SCAN_JOB)
      .where('payload', 'like', `%${fileId}%`)
      .execute();
  const objectsOfFile = (fileId: string) => objectsOf(w.tenant.id).filter((key) => key.startsWith(`files/${fileId}/`));

  it('keeps the EICAR file pending, then refuses it to everyone, deletes its bytes, shows it removed and tells the team', async () => {
    const [virus] = ok(await upload(w.alice, [file('invoice.txt', EICAR)]));
    expect((virus as unknown as Attachment).scan).toBe('pending');
    expect(await codeOf(await get(w.alice, `/files/${virus!.id}`))).toEqual([409, 'FILE_SCAN_PENDING']);
    // Attaching does not wait for the scan.
    const reply = await post(w.alice, `/tickets/${w.aliceTicket.id}/messages`, { body: 'The invoice', fileIds: [virus!.id] });
    expect(reply.status).toBe(201);
    expect(objectsOfFile(virus!.id)).toEqual(['files/' + virus!.id + '/original']);

    await drainWorker();
    expect(await codeOf(await get(w.alice, `/files/${virus!.id}`))).toEqual([410, 'FILE_INFECTED']);
    expect(await codeOf(await get(w.bob, `/files/${virus!.id}`))).toEqual([410, 'FILE_INFECTED']);
    const teamDownload = await agent.get(`/api/team/files/${virus!.id}`);
    expect([teamDownload.statusCode, teamDownload.json<{ error: { code: string } }>().error.code]).toEqual([410, 'FILE_INFECTED']);
    // Someone who may not see the message still learns nothing.
    expect((await get(w.yara, `/files/${virus!.id}`)).status).toBe(404);
    expect(objectsOfFile(virus!.id)).toEqual([]);

    // The message shows the file as removed, on both sides.
    const detail = (await (await get(w.alice, `/tickets/${w.aliceTicket.id}`)).json()) as { messages: { attachments: Attachment[] }[] };
    const shown = detail.messages.flatMap((m) => m.attachments).find((a) => a.id === virus!.id);
    expect(shown && [shown.name, shown.scan]).toEqual(['invoice.txt', 'infected']);
    const teamDetail = (await agent.get(`/api/team/tickets/${w.aliceTicket.id}`)).json<{ messages: { attachments?: Attachment[] }[] }>();
    const teamShown = teamDetail.messages.flatMap((m) => m.attachments ?? []).find((a) => a.id === virus!.id);
    expect(teamShown?.scan).toBe('infected');

    // The team is told: an audit entry naming the file, its message and the signature.
    const audit = await w.t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'subject_id', 'data', 'actor_kind'])
      .where('tenant_id', '=', w.tenant.id)
      .where('action', '=', 'file.infected')
      .execute();
    expect(audit).toHaveLength(1);
    expect([audit[0]!.subject_id, audit[0]!.actor_kind]).toEqual([virus!.id, 'system']);
    expect(JSON.parse(audit[0]!.data!)).toMatchObject({
      name: 'invoice.txt',
      ticketId: w.aliceTicket.id,
      signature: expect.stringMatching(/eicar/i),
    });
    // …and an email to each notification recipient, naming the file and its ticket.
    const mails = await w.t.deps.db
      .selectFrom('dev_mail')
      .select(['to_address', 'subject', 'text_body'])
      .where('to_address', 'in', [adminEmail, agentEmail])
      .where('subject', 'like', '%virus%')
      .execute();
    expect(mails.map((m) => [m.to_address, m.subject])).toEqual([
      [adminEmail, `[#${w.aliceTicket.number}] A file failed the virus scan and was removed`],
    ]);
    expect(mails[0]!.text_body).toContain('“invoice.txt”, uploaded by Alice (alice@shared.example.com) on ticket');
    expect(mails[0]!.text_body).toMatch(/eicar/i);

    // An infected upload not attached yet cannot be attached afterwards.
    const [late] = ok(await upload(w.alice, [file('again.txt', EICAR)]));
    await drainWorker();
    const attach = await post(w.alice, `/tickets/${w.aliceTicket.id}/messages`, { body: 'again', fileIds: [late!.id] });
    expect(await codeOf(attach)).toEqual([410, 'FILE_INFECTED']);
  });

  it('serves clean files once scanned, and re-encodes an image only after its clean verdict', async () => {
    const [doc, photo] = ok(await upload(w.alice, [text('readings.csv', 'a,b\n1,2\n'), file('boiler.png', await pngOf(300, 200))]));
    expect([doc, photo].map((f) => (f as unknown as Attachment).scan)).toEqual(['pending', 'pending']);
    expect(await codeOf(await get(w.alice, `/files/${doc!.id}`))).toEqual([409, 'FILE_SCAN_PENDING']);
    expect(await codeOf(await get(w.alice, `/files/${photo!.id}?variant=thumb`))).toEqual([409, 'FILE_SCAN_PENDING']);
    // Nothing decodes the image before its verdict: only the scan is queued.
    const queued = await w.t.deps.db.selectFrom('outbox').select('kind').where('payload', 'like', `%${photo!.id}%`).execute();
    expect(queued.map((j) => j.kind)).toEqual([SCAN_JOB]);
    // Not attached yet: only its uploader may see it, so the team learns nothing of it.
    expect((await agent.get(`/api/team/files/${doc!.id}`)).statusCode).toBe(404);

    await drainWorker();
    const served = await get(w.alice, `/files/${doc!.id}`);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('a,b\n1,2\n');
    expect((await get(w.alice, `/files/${photo!.id}?variant=thumb`)).status).toBe(200);
    expect(objectsOfFile(photo!.id).sort()).toEqual([
      `files/${photo!.id}/display`,
      `files/${photo!.id}/original`,
      `files/${photo!.id}/thumb`,
    ]);
    const scope = forTenant(w.t.deps.db, w.tenant.id);
    const scans = await scope
      .selectFrom('file')
      .select(['id', 'scan_status'])
      .where('id', 'in', [doc!.id, photo!.id])
      .orderBy('id')
      .execute();
    expect(scans.map((s) => s.scan_status)).toEqual(['clean', 'clean']);
  });

  it('scans profile photos and logos in the request: an infected one is refused and not kept, a scanner down answers 503', async () => {
    const infectedPng = Buffer.concat([await pngOf(64, 64), EICAR]);
    const putPhoto = (content: Buffer) =>
      sendMultipart(`${w.base(w.bob)}/me/photo`, [{ field: 'photo', filename: 'me.png', content }], {
        method: 'PUT',
        cookie: w.cookieOf(w.bob),
      });
    const putLogo = (content: Buffer) => {
      const body = multipartBody([{ field: 'logo', filename: 'logo.png', content, contentType: 'image/png' }]);
      return w.t.app.inject({
        method: 'PUT',
        url: '/api/team/settings/organisation/logo',
        headers: { origin: TEST_ORIGIN, 'content-type': body.contentType, 'content-length': String(body.length), cookie: admin.cookie! },
        payload: body.stream(),
      });
    };
    const before = await w.snapshot(w.tenant.id);
    const photo = await putPhoto(infectedPng);
    expect([photo.status, photo.json.error?.code]).toEqual([422, 'UPLOAD_INFECTED']);
    const logo = await putLogo(infectedPng);
    expect([logo.statusCode, logo.json<{ error: { code: string } }>().error.code]).toEqual([422, 'UPLOAD_INFECTED']);
    await w.expectNothingLeft(w.tenant.id, before);
    const audit = await w.t.deps.db
      .selectFrom('audit_event')
      .select('data')
      .where('tenant_id', '=', w.tenant.id)
      .where('action', '=', 'upload.infected')
      .execute();
    expect(audit.map((a) => (JSON.parse(a.data!) as { purpose: string }).purpose).sort()).toEqual(['logo', 'profile_photo']);

    await clamd!.stop();
    try {
      const down = await putPhoto(await pngOf(64, 64));
      expect([down.status, down.json.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
      await w.expectNothingLeft(w.tenant.id, before);
    } finally {
      await clamd!.start();
    }
    expect((await putPhoto(await pngOf(64, 64))).status).toBe(200);
    expect((await putLogo(await pngOf(64, 64))).statusCode).toBe(200);
  });

  it('keeps files pending while clamd is down, retrying with backoff, and marks them clean only once it is back', async () => {
    await clamd!.stop();
    const [doc] = ok(await upload(w.alice, [text('notes.txt', 'nothing to see\n')]));
    for (let attempt = 1; attempt <= 3; attempt++) {
      await drainWorker();
      const [job] = await scanJobsOf(doc!.id);
      expect([job!.status, job!.attempts]).toEqual(['pending', attempt]);
      expect(job!.last_error).toMatch(/unavailable/);
      expect(new Date(job!.run_at).getTime()).toBeGreaterThan(w.t.clock.now().getTime());
      expect(await codeOf(await get(w.alice, `/files/${doc!.id}`))).toEqual([409, 'FILE_SCAN_PENDING']);
      w.t.clock.advance(2 * 60 * 60_000);
    }
    await clamd!.start();
    await drainWorker();
    expect((await scanJobsOf(doc!.id))[0]!.status).toBe('done');
    const served = await get(w.alice, `/files/${doc!.id}`);
    expect([served.status, await served.text()]).toEqual([200, 'nothing to see\n']);
  }, 60_000);
});

describeEachDialect('portal files without a malware scanner (the embedded default)', (getDb) => {
  const w = usePortalFiles(getDb);

  it('serves files as before: nothing waits for a scan and nothing is queued', async () => {
    const [doc] = w.ok(await w.upload(w.alice, [file('invoice.txt', EICAR)]));
    expect((doc as unknown as Attachment).scan).toBe('not_scanned');
    const served = await w.get(w.alice, `/files/${doc!.id}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(EICAR)).toBe(true);
    const jobs = await w.t.deps.db.selectFrom('outbox').select('kind').where('kind', '=', SCAN_JOB).execute();
    expect(jobs).toEqual([]);
  });
});
