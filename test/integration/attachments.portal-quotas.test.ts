import { beforeAll, expect, it } from 'vitest';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { createTenant } from '../../src/features/tenants/tenant.service.js';
import { sendMultipart, type PartSpec } from '../helpers/multipart-upload.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { signInContact } from '../helpers/factories.js';

const MB = 1024 * 1024;
let serial = 0;
const big = (name: string, size: number): PartSpec => ({ field: 'files', filename: name, content: { size, fill: 'col1,col2,col3\n' } });

describeEachDialect('portal file quotas', (getDb) => {
  const t = useTestApp(getDb, { FILES_TICKET_QUOTA_MB: '1', FILES_TENANT_QUOTA_MB: '3' });
  let origin: string;
  let contact: Contact;
  let slug: string;
  let cookie: string;

  beforeAll(async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    serial += 1;
    slug = `quota-${serial}-${Date.now().toString(36)}`;
    const tenant = await createTenant(t.deps, { slug, name: 'Quota Co' });
    const client = await createClient(t.deps, tenant.id, { name: 'Client' });
    contact = await addContact(t.deps, tenant.id, client.id, { email: 'q@example.com', name: 'Q' });
    const d = new SignInDriver(t);
    cookie = await signInContact(d, tenant, contact.email);
  });

  it('refuses files past the ticket quota on attach and past the organisation quota on upload', async () => {
    const up = (parts: PartSpec[]) => sendMultipart(`${origin}/portal/${slug}/api/uploads`, parts, { cookie });
    const first = await up([big('a.csv', 700 * 1024), big('b.csv', 700 * 1024)]);
    expect(first.status).toBe(201);
    const ids = first.json.files!.map((f) => f.id);
    const submit = await fetch(`${origin}/portal/${slug}/api/tickets`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Too much', description: 'two files', fileIds: ids }),
    });
    expect(submit.status).toBe(413);
    const body = (await submit.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('TICKET_QUOTA_EXCEEDED');
    expect(body.error.message).toContain('1 MB');
    // Nothing was created: the ticket and its message rolled back with the refusal.
    const list = (await (await fetch(`${origin}/portal/${slug}/api/tickets?status=all`, { headers: { cookie } })).json()) as {
      tickets: unknown[];
    };
    expect(list.tickets).toHaveLength(0);

    const second = await up([big('c.csv', 2 * MB)]);
    expect([second.status, second.json.error?.code]).toEqual([413, 'TENANT_QUOTA_EXCEEDED']);
    expect(second.json.error?.message).toContain('c.csv');
  });
});
