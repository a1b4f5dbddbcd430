import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import * as repo from './operator.repository.js';
import type { Operator } from './operator.repository.js';

export type { Operator } from './operator.repository.js';

/**
 * Registers an operator of this installation (from the CLI only). The operator console and its
 * password sign-in come in a later issue.
 * @throws VALIDATION_FAILED, EMAIL_TAKEN
 */
export async function addOperator(ctx: AppContext, input: { email: string; name?: string }): Promise<Operator> {
  const email = requireEmail(input.email);
  return inTransaction(ctx.db, async (trx) => {
    if (await repo.findOperatorByEmail(trx, email)) throw new AppError('EMAIL_TAKEN');
    const operator = await repo.insertOperator(trx, {
      id: newId(),
      email,
      name: input.name?.trim() || email,
      now: toDbTime(ctx.clock.now()),
    });
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: null,
      actor: { kind: 'system' },
      action: 'operator.added',
      subject: { kind: 'operator', id: operator.id },
    });
    return operator;
  });
}
