import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { addContact, createClient, type Client, type Contact } from '../../src/features/clients/client.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import type { Ticket } from '../../src/features/tickets/ticket.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import type { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createWorker } from '../../src/server.js';
import { openContactTicket, signInContact, uniqueSlug } from './factories.js';
import { sendMultipart, type PartSpec, type UploadResult } from './multipart-upload.js';
import { SignInDriver } from './sign-in.js';
import { buildTestApp, type TestApp } from './test-app.js';
import type { TestDatabase } from './test-database.js';

export const MB = 1024 * 1024;

export const text = (name: string, content = 'a,b\n1,2\n'): PartSpec => ({ field: 'files', filename: name, content: Buffer.from(content) });
export const big = (name: string, size: number): PartSpec => ({
  field: 'files',
  filename: name,
  content: { size, fill: 'col1,col2,col3\n' },
});
export const file = (name: string, content: Buffer, contentType?: string): PartSpec => ({
  field: 'files',
  filename: name,
  content,
  ...(contentType ? { contentType } : {}),
});

/**
 * The portal files world of a describe block, over a listening app (uploads stream over real
 * HTTP): Harbor Plumbing with a shared client (Alice and Bob, who see all of its tickets) and
 * Yara's own client, plus a stranger of the same email in another tenant; each signed in.
 */
export interface PortalFiles {
  readonly t: TestApp;
  readonly tenant: Tenant;
  readonly other: Tenant;
  readonly shared: Client;
  readonly alice: Contact;
  readonly bob: Contact;
  readonly yara: Contact;
  readonly stranger: Contact;
  readonly aliceTicket: Ticket;
  readonly yaraTicket: Ticket;
  /** The portal API's absolute URL for the contact's tenant. */
  base(who: Contact): string;
  cookieOf(who: Contact): string;
  upload(who: Contact, parts: readonly PartSpec[], options?: Parameters<typeof sendMultipart>[2]): Promise<UploadResult>;
  get(who: Contact, pathAndQuery: string, headers?: Record<string, string>): Promise<Response>;
  post(who: Contact, pathAndQuery: string, body: unknown): Promise<Response>;
  /** Every object the store holds for a tenant (the local adapter: files on disk, temp files included). */
  objectsOf(tenantId: string): string[];
  rowsOf(tenantId: string): Promise<number>;
  snapshot(tenantId: string): Promise<{ rows: number; objects: number }>;
  expectNothingLeft(tenantId: string, before: { rows: number; objects: number }): Promise<void>;
  /** The files of a 201 answer. */
  ok(res: UploadResult): NonNullable<UploadResult['json']['files']>;
  /** Runs the outbox worker until nothing is due. */
  drainWorker(): Promise<void>;
}

interface World {
  t: TestApp;
  origin: string;
  worker: OutboxWorker;
  tenant: Tenant;
  other: Tenant;
  shared: Client;
  alice: Contact;
  bob: Contact;
  yara: Contact;
  stranger: Contact;
  aliceTicket: Ticket;
  yaraTicket: Ticket;
  cookies: Map<string, string>;
}

/** `env` is read when the world is built (in beforeAll), so it may name things started by earlier hooks (a clamd). */
export function usePortalFiles(getDb: () => TestDatabase, env: () => Record<string, string> = () => ({})): PortalFiles {
  let built: World | undefined;
  const w = (): World => {
    if (!built) throw new Error('the portal files world is built in beforeAll');
    return built;
  };

  beforeAll(async () => {
    const t = await buildTestApp(getDb(), env());
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const worker = createWorker(t.config, t.deps, undefined);
    const tenant = await createTenant(t.deps, { slug: uniqueSlug('files'), name: 'Harbor Plumbing' });
    const other = await createTenant(t.deps, { slug: uniqueSlug('files-other'), name: 'Other Co' });
    const shared = await createClient(t.deps, tenant.id, { name: 'Shared Ltd', ticketVisibility: 'all' });
    const yaras = await createClient(t.deps, tenant.id, { name: 'Yara Family' });
    const alice = await addContact(t.deps, tenant.id, shared.id, { email: 'alice@shared.example.com', name: 'Alice' });
    const bob = await addContact(t.deps, tenant.id, shared.id, { email: 'bob@shared.example.com', name: 'Bob' });
    const yara = await addContact(t.deps, tenant.id, yaras.id, { email: 'yara@own.example.com', name: 'Yara' });
    const elsewhere = await createClient(t.deps, other.id, { name: 'Elsewhere' });
    const stranger = await addContact(t.deps, other.id, elsewhere.id, { email: 'alice@shared.example.com', name: 'Alice Elsewhere' });
    const aliceTicket = await openContactTicket(t.deps, alice, { title: 'Leaking tap', body: 'Leaking tap' });
    const yaraTicket = await openContactTicket(t.deps, yara, { title: 'Blocked drain', body: 'Blocked drain' });
    const d = new SignInDriver(t);
    const cookies = new Map<string, string>();
    for (const c of [alice, bob, yara, stranger]) {
      cookies.set(c.id, await signInContact(d, c.tenantId === tenant.id ? tenant : other, c.email));
    }
    built = { t, origin, worker, tenant, other, shared, alice, bob, yara, stranger, aliceTicket, yaraTicket, cookies };
  });
  afterAll(async () => {
    if (!built) return;
    await built.worker.stop();
    // A response a test read only the headers of keeps its keep-alive socket busy: end them all.
    built.t.app.server.closeAllConnections();
    await built.t.close();
  });

  const base = (who: Contact) => `${w().origin}/portal/${who.tenantId === w().tenant.id ? w().tenant.slug : w().other.slug}/api`;
  const cookieOf = (who: Contact) => w().cookies.get(who.id)!;
  const objectsOf = (tenantId: string): string[] => {
    const storage = w().t.config.storage;
    const dir = path.join(storage.kind === 'local' ? storage.dir : '', 'tenants', tenantId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  };
  const rowsOf = async (tenantId: string) => {
    const scope = forTenant(w().t.deps.db, tenantId);
    return (await scope.selectFrom('file').select('file.id').execute()).length;
  };
  return {
    get t() {
      return w().t;
    },
    get tenant() {
      return w().tenant;
    },
    get other() {
      return w().other;
    },
    get shared() {
      return w().shared;
    },
    get alice() {
      return w().alice;
    },
    get bob() {
      return w().bob;
    },
    get yara() {
      return w().yara;
    },
    get stranger() {
      return w().stranger;
    },
    get aliceTicket() {
      return w().aliceTicket;
    },
    get yaraTicket() {
      return w().yaraTicket;
    },
    base,
    cookieOf,
    upload: (who, parts, options = {}) => sendMultipart(`${base(who)}/uploads`, parts, { cookie: cookieOf(who), ...options }),
    get: (who, pathAndQuery, headers = {}) => fetch(`${base(who)}${pathAndQuery}`, { headers: { cookie: cookieOf(who), ...headers } }),
    post: (who, pathAndQuery, body) =>
      fetch(`${base(who)}${pathAndQuery}`, {
        method: 'POST',
        headers: { cookie: cookieOf(who), 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    objectsOf,
    rowsOf,
    snapshot: async (tenantId) => ({ rows: await rowsOf(tenantId), objects: objectsOf(tenantId).length }),
    async expectNothingLeft(tenantId, before) {
      expect(await rowsOf(tenantId)).toBe(before.rows);
      expect(objectsOf(tenantId)).toHaveLength(before.objects);
    },
    ok(res) {
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return res.json.files!;
    },
    async drainWorker() {
      while ((await w().worker.runOnce()) > 0) {
        /* until the outbox is empty */
      }
    },
  };
}
