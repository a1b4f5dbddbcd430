import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyPassword } from '../../src/features/auth/password-hashing.js';
import { runCli } from '../helpers/run-cli.js';
import { createEmptyTestDatabase, DIALECTS, type TestDatabase } from '../helpers/test-database.js';

for (const dialect of DIALECTS) {
  describe(`servelo operator … [${dialect}]`, () => {
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

    const hashOf = async (email: string) =>
      (await database.db.selectFrom('operator').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow())
        .password_hash!;

    it('adds an operator with the password from standard input, printing no password', async () => {
      const password = 'a long operator passphrase';
      const res = await runCli(['operator', 'add', '--email', 'Stdin@Ops.example.com', '--name', 'Sam', '--password-stdin'], env, {
        input: `${password}\n`,
      });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('Added operator stdin@ops.example.com.');
      expect(res.stdout).not.toContain(password);
      expect(res.stdout).not.toContain('Password (shown this once');
      expect(await verifyPassword(await hashOf('stdin@ops.example.com'), password)).toBe(true);

      const again = await runCli(['operator', 'add', '--email', 'stdin@ops.example.com', '--password-stdin'], env, { input: password });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('EMAIL_TAKEN');
    }, 120_000);

    it('generates a strong password and prints it once when there is no terminal (CI)', async () => {
      const res = await runCli(['operator', 'add', '--email', 'ci@ops.example.com'], env);
      expect(res.code, res.stderr).toBe(0);
      const printed = /Password \(shown this once; store it in a password manager\): (\S+)/.exec(res.stdout)?.[1];
      expect(printed).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(await verifyPassword(await hashOf('ci@ops.example.com'), printed!)).toBe(true);
    }, 120_000);

    it('refuses a weak password from standard input', async () => {
      const res = await runCli(['operator', 'add', '--email', 'weak@ops.example.com', '--password-stdin'], env, { input: 'short\n' });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('PASSWORD_TOO_WEAK');
      expect(await database.db.selectFrom('operator').select('id').where('email', '=', 'weak@ops.example.com').execute()).toEqual([]);
    }, 120_000);

    it('resets a password, ending the console sessions; an unknown email is refused', async () => {
      const now = new Date().toISOString();
      const { id } = await database.db
        .selectFrom('operator')
        .select('id')
        .where('email', '=', 'ci@ops.example.com')
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('operator_session')
        .values({
          id: 'session-1',
          operator_id: id,
          token_hash: 'hash-1',
          created_at: now,
          last_seen_at: now,
          idle_expires_at: now,
          absolute_expires_at: now,
          second_factor_at: now,
          revoked_at: null,
          ip: null,
          user_agent: null,
        })
        .execute();
      const password = 'a brand new operator passphrase';
      const res = await runCli(['operator', 'reset-password', '--email', 'ci@ops.example.com', '--password-stdin'], env, {
        input: password,
      });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('Set a new password for operator ci@ops.example.com');
      expect(await verifyPassword(await hashOf('ci@ops.example.com'), password)).toBe(true);
      const session = await database.db
        .selectFrom('operator_session')
        .select('revoked_at')
        .where('id', '=', 'session-1')
        .executeTakeFirstOrThrow();
      expect(session.revoked_at).not.toBeNull();

      const generated = await runCli(['operator', 'reset-password', '--email', 'ci@ops.example.com'], env);
      expect(generated.code, generated.stderr).toBe(0);
      const printed = /shown this once; store it in a password manager\): (\S+)/.exec(generated.stdout)?.[1];
      expect(await verifyPassword(await hashOf('ci@ops.example.com'), printed!)).toBe(true);

      const unknown = await runCli(['operator', 'reset-password', '--email', 'nobody@ops.example.com', '--password-stdin'], env, {
        input: password,
      });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('NOT_FOUND');
    }, 120_000);
  });
}
