import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CustomerLimits } from '../../config/config.js';
import { createVariableKeyedLimit, type VariableKeyedLimit } from '../../http/rate-limit.js';
import { AppError } from '../../platform/errors.js';
import { describeWait, effectiveCustomerLimits } from '../tenants/customer-limits.js';
import type { Tenant } from '../tenants/tenant.service.js';

/**
 * Per-customer limits of the portal (issue 11): bursts per minute and totals per day of new
 * requests, replies, closings and uploads, counted per contact in @fastify/rate-limit's store — in
 * memory, or Redis when REDIS_URL is set so every app instance shares the counts. The limits are
 * the organisation's own where it set them, else the installation's (PORTAL_LIMIT_*). A request
 * over a limit is refused before anything is written: 429 CUSTOMER_LIMIT_REACHED with Retry-After
 * and a message saying how long to wait. The team is never counted here.
 */
export type CustomerAction = 'submission' | 'reply' | 'close' | 'upload';

export interface CustomerActionLimits {
  /** Counts one action of this contact. @throws CUSTOMER_LIMIT_REACHED when over the minute or the day limit */
  check(request: FastifyRequest, who: { readonly tenant: Tenant; readonly contactId: string }, action: CustomerAction): Promise<void>;
  /** Counts an upload of this contact and answers their byte limits (unsent files, bytes a day). @throws CUSTOMER_LIMIT_REACHED */
  checkUpload(
    request: FastifyRequest,
    who: { readonly tenant: Tenant; readonly contactId: string },
  ): Promise<{ readonly unsentBytes: number; readonly dailyBytes: number }>;
}

const MB = 1024 * 1024;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const LIMIT_KEYS: Record<CustomerAction, { minute: keyof CustomerLimits; day: keyof CustomerLimits }> = {
  submission: { minute: 'submissionsPerMinute', day: 'submissionsPerDay' },
  reply: { minute: 'repliesPerMinute', day: 'repliesPerDay' },
  close: { minute: 'closesPerMinute', day: 'closesPerDay' },
  upload: { minute: 'uploadsPerMinute', day: 'uploadsPerDay' },
};

const WHAT: Record<CustomerAction, string> = {
  submission: 'sent a lot of new requests',
  reply: 'sent a lot of replies',
  close: 'closed a lot of tickets',
  upload: 'uploaded a lot of files',
};

const VERB: Record<CustomerAction, string> = { submission: 'send', reply: 'send', close: 'close', upload: 'upload' };

export function createCustomerActionLimits(app: FastifyInstance, defaults: CustomerLimits): CustomerActionLimits {
  const counters = new Map<string, { minute: VariableKeyedLimit; day: VariableKeyedLimit }>();
  for (const action of Object.keys(LIMIT_KEYS) as CustomerAction[]) {
    counters.set(action, {
      minute: createVariableKeyedLimit(app, `customer-${action}-1m`, MINUTE),
      day: createVariableKeyedLimit(app, `customer-${action}-1d`, DAY),
    });
  }
  const limits: CustomerActionLimits = {
    async check(request, who, action) {
      const limits = effectiveCustomerLimits(defaults, who.tenant);
      const counter = counters.get(action)!;
      const key = `${who.tenant.id}:${who.contactId}`;
      // The day counts only what the minute let through: a burst refused per minute does not use up the day.
      const minute = await counter.minute(request, key, limits[LIMIT_KEYS[action].minute]);
      if (!minute.allowed) throw limitReached(action, 'in the last minute', minute.retryAfterMs);
      const day = await counter.day(request, key, limits[LIMIT_KEYS[action].day]);
      if (!day.allowed) throw limitReached(action, 'today', day.retryAfterMs);
    },
    async checkUpload(request, who) {
      await limits.check(request, who, 'upload');
      const effective = effectiveCustomerLimits(defaults, who.tenant);
      return { unsentBytes: effective.pendingUploadMb * MB, dailyBytes: effective.uploadMbPerDay * MB };
    },
  };
  return limits;
}

function limitReached(action: CustomerAction, when: string, retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(
    'CUSTOMER_LIMIT_REACHED',
    `You have ${WHAT[action]} ${when}. You can ${VERB[action]} more in ${describeWait(seconds)}.`,
    { headers: { 'retry-after': String(seconds) } },
  );
}
