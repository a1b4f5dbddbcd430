import type { CustomDomainStatus } from '../../src/features/domains/custom-domain.domain.js';
import type { AppContext } from '../../src/platform/context.js';
import { toDbTime } from '../../src/platform/db/time.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { newId } from '../../src/platform/ids.js';

let counter = 0;

/** A new host name per call (hosts are unique across the installation). */
export function uniqueHost(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}${counter}.customer.test`;
}

export interface CustomDomainState {
  readonly status: CustomDomainStatus;
  readonly approvedAt?: Date | null;
  readonly lapsedAt?: Date | null;
}

/**
 * A custom domain row in exactly the state a test needs, written through the tenant's scope (the
 * claim service is not what these tests are about; its own tests drive the states).
 */
export async function insertCustomDomain(ctx: AppContext, tenantId: string, host: string, state: CustomDomainState): Promise<string> {
  const now = toDbTime(ctx.clock.now());
  const at = (date: Date | null | undefined) => (date ? toDbTime(date) : null);
  const id = newId();
  const verified = state.status !== 'pending_dns' && state.status !== 'failed';
  await forTenant(ctx.db, tenantId)
    .insertInto('custom_domain', {
      id,
      host,
      verification_token: `token-${id}`,
      status: state.status,
      status_reason: null,
      dns_observed: null,
      approved_at: at(state.approvedAt),
      verified_at: verified ? now : null,
      activated_at: state.status === 'active' || state.status === 'lapsed' ? now : null,
      lapsed_at: at(state.lapsedAt),
      last_checked_at: now,
      next_check_at: null,
      certificate_error: null,
      certificate_next_attempt_at: null,
      created_by_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Changes a domain's state in place (a lapse, an approval) through the tenant's scope. */
export async function setCustomDomainState(ctx: AppContext, tenantId: string, id: string, state: CustomDomainState): Promise<void> {
  await forTenant(ctx.db, tenantId)
    .updateTable('custom_domain')
    .set({
      status: state.status,
      approved_at: state.approvedAt ? toDbTime(state.approvedAt) : null,
      lapsed_at: state.lapsedAt ? toDbTime(state.lapsedAt) : null,
      updated_at: toDbTime(ctx.clock.now()),
    })
    .where('id', '=', id)
    .execute();
}
