import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { createEmptyTestDatabase, DIALECTS, type TestDatabase } from '../helpers/test-database.js';

for (const dialect of DIALECTS) {
  describe(`servelo CLI [${dialect}]`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      database = await createEmptyTestDatabase(dialect);
      env = { DATABASE_URL: database.url, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'servelo-cli-')) };
    });
    afterAll(async () => {
      await database.destroy();
      rmSync(env.DATA_DIR ?? '', { recursive: true, force: true });
    });

    it('creates a tenant, its team member, a client with a contact, and an operator', async () => {
      const tenant = await runCli(['tenant', 'create', '--slug', 'harbor', '--name', 'Harbor Plumbing', '--accent-color', '#1D4ED8'], env);
      expect(tenant).toMatchObject({ code: 0, stderr: '' });
      expect(tenant.stdout).toMatch(/Created tenant "Harbor Plumbing" .*\/portal\/harbor/);

      const again = await runCli(['tenant', 'create', '--slug', 'harbor', '--name', 'Other'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('TENANT_SLUG_TAKEN');

      const bad = await runCli(['tenant', 'create', '--slug', 'Bad Slug!', '--name', 'X'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/VALIDATION_FAILED[\s\S]*slug: may contain only lowercase letters/);

      const member = await runCli(['team', 'add', '--tenant', 'harbor', '--email', 'Boss@Harbor.example.com', '--role', 'owner'], env);
      expect(member).toMatchObject({ code: 0, stdout: 'Added boss@harbor.example.com as owner of "Harbor Plumbing".\n' });
      const role = await runCli(['team', 'add', '--tenant', 'harbor', '--email', 'x@harbor.example.com', '--role', 'god'], env);
      expect(role.code).toBe(1);
      expect(role.stderr).toMatch(/Allowed choices are owner, admin, agent/);
      const unknownTenant = await runCli(['team', 'add', '--tenant', 'nope', '--email', 'x@harbor.example.com', '--role', 'agent'], env);
      expect(unknownTenant.code).toBe(1);
      expect(unknownTenant.stderr).toContain('TENANT_NOT_FOUND');

      const client = await runCli(
        [
          'client',
          'add',
          '--tenant',
          'harbor',
          '--name',
          'Pier 7 Café',
          '--visibility',
          'own',
          '--contact-email',
          'ana@pier7.example.com',
          '--contact-name',
          'Ana',
        ],
        env,
      );
      expect(client.code).toBe(0);
      expect(client.stdout).toMatch(/Added client "Pier 7 Café"[\s\S]*Added contact ana@pier7.example.com/);

      expect((await runCli(['operator', 'add', '--email', 'ops@example.com'], env)).code).toBe(0);

      // eslint-disable-next-line no-restricted-syntax -- the test reads what the CLI wrote, across the whole database
      const contacts = await database.db.selectFrom('contact').select(['email', 'name']).execute();
      expect(contacts).toEqual([{ email: 'ana@pier7.example.com', name: 'Ana' }]);
      const tenantRow = await database.db
        .selectFrom('tenant')
        .select(['accent_color'])
        .where('slug', '=', 'harbor')
        .executeTakeFirstOrThrow();
      expect(tenantRow.accent_color).toBe('#1d4ed8');
      expect(await database.db.selectFrom('operator').select('email').execute()).toEqual([{ email: 'ops@example.com' }]);
    }, 120_000);

    it('seeds the demo tenant idempotently', async () => {
      const first = await runCli(['seed', '--demo'], env);
      expect(first).toMatchObject({ code: 0, stdout: 'Seeded the demo tenant "Acme Plumbing" (/portal/demo).\n' });
      const second = await runCli(['seed', '--demo'], env);
      expect(second).toMatchObject({ code: 0, stdout: 'The demo tenant "Acme Plumbing" already exists; nothing changed.\n' });
    }, 60_000);

    it('lists every invalid variable and exits non-zero', async () => {
      const result = await runCli(['migrate'], { ...env, PORT: 'abc', LOG_LEVEL: 'loud' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Invalid configuration');
      expect(result.stderr).toContain('PORT: must be a whole number');
      expect(result.stderr).toContain('LOG_LEVEL: must be one of');
    });
  });
}
