import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../../platform/clock.js';
import { TICKET_STATUSES } from '../tickets/ticket.domain.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { LocalFileStore } from '../../platform/storage/local-file-store.js';
import { listClients, listContactsOfClient } from '../clients/client.service.js';
import { listTeamMembers } from '../team/team.service.js';
import { countTicketsByStatus } from '../tickets/ticket.service.js';
import { countQuotesByStatus, expireLapsedQuotes } from '../quotes/quote.service.js';
import { verifyPassword } from '../auth/password-hashing.js';
import { demoCredentialsPath, writeDemoCredentials } from './demo-credentials.js';
import { seedDemoTenant } from './demo-seed.service.js';

async function snapshot(db: Parameters<typeof forTenant>[0], tenantId: string) {
  const scope = forTenant(db, tenantId);
  const clients = await listClients(scope);
  let contacts = 0;
  for (const client of clients) contacts += (await listContactsOfClient(scope, client.id)).length;
  const messages = await scope
    .selectFrom('message')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    team: (await listTeamMembers(scope)).map((m) => m.role).sort(),
    clients: clients.length,
    contacts,
    tickets: await countTicketsByStatus(scope),
    quotes: await countQuotesByStatus(scope, {}),
    messages: Number(messages.n),
  };
}

describeEachDialect('demo seed', (getDb) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'servelo-seed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates Acme Plumbing with its team, clients and tickets in every status, once', async () => {
    const files = new LocalFileStore(dir);
    const ctx = { db: getDb().db, clock: new ManualClock('2026-11-24T15:00:00Z'), files };
    const first = await seedDemoTenant(ctx);
    expect(first.created).toBe(true);
    // Without asking (tests, production), no team member gets a password.
    expect(first.teamCredentials).toEqual([]);
    const hashes = await ctx.db
      .selectFrom('team_account')
      .select('password_hash')
      .where('email', 'like', '%@acme-plumbing.example')
      .execute();
    expect(hashes.map((h) => h.password_hash)).toEqual([null, null, null]);
    expect(first.tenant).toMatchObject({ slug: 'demo', name: 'Acme Plumbing', accentColor: '#0e7490', currency: 'USD' });

    const counts = await snapshot(ctx.db, first.tenant.id);
    expect(counts.team).toEqual(['admin', 'agent', 'owner']);
    expect(counts.clients).toBe(5);
    expect(counts.contacts).toBe(7);
    expect(Object.keys(counts.tickets).sort()).toEqual([...TICKET_STATUSES].sort());
    expect(Object.values(counts.tickets).reduce((a, b) => a + b, 0)).toBe(30);
    expect(counts.messages).toBeGreaterThan(60);

    const scope = forTenant(ctx.db, first.tenant.id);
    const closed = await scope.selectFrom('ticket').select(['ticket.closed_at']).where('ticket.status', '=', 'closed').execute();
    expect(closed.every((t) => t.closed_at !== null)).toBe(true);
    const charged = await scope.selectFrom('ticket').select('ticket.id').where('ticket.charge_amount', 'is not', null).execute();
    expect(charged.length).toBeGreaterThan(10);

    expect(first.tenant.logoKey).toBe(`tenants/${first.tenant.id}/logo.png`);
    const logo = await files.get(first.tenant.logoKey ?? '');
    expect(logo).toBeDefined();
    const chunks: Buffer[] = [];
    for await (const chunk of logo!.body) chunks.push(chunk as Buffer);
    expect((await sharp(Buffer.concat(chunks)).metadata()).format).toBe('png');

    // The first ticket's opening message carries two re-encoded photos with their variants.
    const photos = await scope
      .selectFrom('file')
      .select(['file.id', 'file.name', 'file.status', 'file.message_id'])
      .orderBy('file.id')
      .execute();
    expect(photos.map((p) => [p.name, p.status])).toEqual([
      ['under-the-sink.jpg', 'ready'],
      ['valve-close-up.jpg', 'ready'],
    ]);
    for (const variant of ['original', 'display', 'thumb']) {
      const object = await files.get(`tenants/${first.tenant.id}/files/${photos[0]!.id}/${variant}`);
      expect(object?.size).toBeGreaterThan(1000);
      object?.body.destroy();
    }

    // A quote in every state once the lapsed one's valid-until day is read as over; Harbor View's v2 supersedes its v1.
    await expireLapsedQuotes(ctx, first.tenant.id);
    expect(await countQuotesByStatus(scope, {})).toEqual({
      draft: 1,
      sent: 2,
      changes_requested: 1,
      accepted: 1,
      declined: 1,
      expired: 1,
      withdrawn: 1,
    });
    const versions = await scope
      .selectFrom('quote')
      .select(['quote.title', 'quote.current_version'])
      .where('quote.current_version', '>', 1)
      .execute();
    expect(versions).toEqual([{ title: 'Booster pump for the 6th floor', current_version: 2 }]);
    const acceptances = await scope
      .selectFrom('quote_acceptance')
      .select(['quote_acceptance.signer_name', 'quote_acceptance.signature_kind'])
      .execute();
    expect(acceptances).toEqual([{ signer_name: 'Maria Lopez', signature_kind: 'typed' }]);

    const seeded = await snapshot(ctx.db, first.tenant.id);
    const second = await seedDemoTenant(ctx);
    expect(second).toMatchObject({ created: false, tenant: { id: first.tenant.id } });
    expect(await snapshot(ctx.db, first.tenant.id)).toEqual(seeded);
  });
});

describeEachDialect('demo seed team passwords', (getDb) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'servelo-seed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a password per demo member, stored as argon2id, written owner-only to demo-credentials.json', async () => {
    const ctx = { db: getDb().db, clock: new ManualClock('2026-11-24T15:00:00Z'), files: new LocalFileStore(dir) };
    const { created, teamCredentials } = await seedDemoTenant(ctx, { teamPasswords: true });
    expect(created).toBe(true);
    expect(teamCredentials.map((c) => c.role)).toEqual(['owner', 'admin', 'agent']);
    for (const credential of teamCredentials) {
      expect(credential.password).toMatch(/^[A-Za-z0-9]{20}$/);
      const row = await ctx.db
        .selectFrom('team_account')
        .select('password_hash')
        .where('email', '=', credential.email)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(row.password_hash!, credential.password)).toBe(true);
    }
    expect(new Set(teamCredentials.map((c) => c.password)).size).toBe(3);

    const file = writeDemoCredentials(dir, teamCredentials);
    expect(file).toBe(demoCredentialsPath(dir));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      team: teamCredentials.map(({ email, password, role }) => ({ email, password, role })),
    });
  });
});
