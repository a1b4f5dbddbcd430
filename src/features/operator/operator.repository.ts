import type { Selectable } from 'kysely';
import type { Executor, OperatorTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';

/** Operators run the installation; they belong to no tenant, so this table is not tenant-scoped. */
export interface Operator {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly totpEnabled: boolean;
  readonly disabled: boolean;
  readonly createdAt: Date;
}

/** What sign-in and TOTP checks need; only ever read inside a service. */
export interface OperatorSecrets {
  readonly passwordHash: string | null;
  readonly totpSecret: string | null;
  readonly totpPendingSecret: string | null;
  readonly totpLastStep: number | null;
}

function toOperator(row: Selectable<OperatorTable>): Operator {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    totpEnabled: row.totp_enabled_at !== null && row.totp_secret !== null,
    disabled: row.disabled_at !== null,
    createdAt: fromDbTime(row.created_at),
  };
}

function toSecrets(row: Selectable<OperatorTable>): OperatorSecrets {
  return {
    passwordHash: row.password_hash,
    totpSecret: row.totp_enabled_at ? row.totp_secret : null,
    totpPendingSecret: row.totp_pending_secret,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  };
}

export async function insertOperator(
  db: Executor,
  o: { id: string; email: string; name: string; passwordHash: string | null; now: string },
): Promise<Operator> {
  const row = await db
    .insertInto('operator')
    .values({
      id: o.id,
      email: o.email,
      name: o.name,
      password_hash: o.passwordHash,
      password_changed_at: o.passwordHash ? o.now : null,
      created_at: o.now,
      updated_at: o.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOperator(row);
}

export async function findOperatorByEmail(db: Executor, email: string): Promise<Operator | undefined> {
  const row = await db.selectFrom('operator').selectAll().where('email', '=', email).executeTakeFirst();
  return row && toOperator(row);
}

export async function findOperatorWithSecretsByEmail(
  db: Executor,
  email: string,
): Promise<{ operator: Operator; secrets: OperatorSecrets } | undefined> {
  const row = await db.selectFrom('operator').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { operator: toOperator(row), secrets: toSecrets(row) };
}

export async function findOperatorWithSecretsById(
  db: Executor,
  id: string,
): Promise<{ operator: Operator; secrets: OperatorSecrets } | undefined> {
  const row = await db.selectFrom('operator').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { operator: toOperator(row), secrets: toSecrets(row) };
}

export async function setOperatorPasswordHash(db: Executor, id: string, passwordHash: string, now: string): Promise<void> {
  await db
    .updateTable('operator')
    .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setOperatorPendingTotp(db: Executor, id: string, encrypted: string, now: string): Promise<void> {
  await db.updateTable('operator').set({ totp_pending_secret: encrypted, updated_at: now }).where('id', '=', id).execute();
}

/** Moves the pending secret into place; the step that confirmed it is already spent. */
export async function enableOperatorTotp(db: Executor, id: string, step: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('operator')
    .set((eb) => ({
      totp_secret: eb.ref('totp_pending_secret'),
      totp_pending_secret: null,
      totp_enabled_at: now,
      totp_last_step: step,
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('totp_pending_secret', 'is not', null)
    .where('totp_enabled_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Records a TOTP step as used, only if later than the last one (replay guard: one of two racing requests wins). */
export async function spendOperatorTotpStep(db: Executor, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('operator')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function replaceOperatorRecoveryCodes(
  db: Executor,
  operatorId: string,
  codes: readonly { id: string; codeHash: string }[],
  now: string,
): Promise<void> {
  await db.deleteFrom('operator_recovery_code').where('operator_id', '=', operatorId).execute();
  if (codes.length === 0) return;
  await db
    .insertInto('operator_recovery_code')
    .values(codes.map((c) => ({ id: c.id, operator_id: operatorId, code_hash: c.codeHash, created_at: now, used_at: null })))
    .execute();
}

/** True when an unused code with this hash existed and is now spent. */
export async function spendOperatorRecoveryCode(db: Executor, operatorId: string, codeHash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('operator_recovery_code')
    .set({ used_at: now })
    .where('operator_id', '=', operatorId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
