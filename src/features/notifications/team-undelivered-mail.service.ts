import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { listJobs, type OutboxJob, requeueDeadJobs } from '../../platform/jobs/outbox.repository.js';
import { MAIL_SEND_JOB } from '../../platform/mail/send-mail.job.js';
import { SIGN_IN_LINK_JOB } from '../auth/portal-sign-in-link.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { TEAM_INVITATION_JOB } from '../team/invitation.service.js';
import { CUSTOMER_ACTIVITY_JOB } from './customer-activity.job.js';
import type { TUndeliveredMail } from './team-undelivered-mail.schemas.js';

/** The outbox jobs that send an organisation's email, and what the team calls each. */
const MAIL_KINDS: Readonly<Record<string, TUndeliveredMail['kind']>> = {
  [MAIL_SEND_JOB]: 'email',
  [CUSTOMER_ACTIVITY_JOB]: 'team_notification',
  [SIGN_IN_LINK_JOB]: 'sign_in_link',
  [TEAM_INVITATION_JOB]: 'invitation',
};

/** Most undelivered emails listed at once; an outage long enough to leave more is an operator's matter. */
const LIST_LIMIT = 200;

/**
 * The organisation's emails the outbox gave up on, newest first (owners and admins). Only the
 * recipient and subject are read from a job: its payload may carry more (a member id, a client's
 * address and user agent), which the team does not need to see.
 * @throws FORBIDDEN below admin
 */
export async function listUndeliveredMail(ctx: AppContext, viewer: TeamViewer): Promise<TUndeliveredMail[]> {
  requireTeamRole(viewer, 'admin');
  const jobs = await listJobs(ctx.db, { status: 'dead', tenantId: viewer.tenant.id, kinds: Object.keys(MAIL_KINDS), limit: LIST_LIMIT });
  return jobs.reverse().map(present);
}

/**
 * Sends the organisation's undelivered emails again (all, or the ids given): each gets a fresh
 * count of attempts and runs now. An id that is not one of the organisation's undelivered emails
 * answers 404, like any other foreign object.
 * @throws FORBIDDEN below admin, UNDELIVERED_MAIL_NOT_FOUND
 */
export async function retryUndeliveredMail(ctx: AppContext, viewer: TeamViewer, ids: readonly string[] | undefined): Promise<number> {
  requireTeamRole(viewer, 'admin');
  const kinds = Object.keys(MAIL_KINDS);
  if (ids !== undefined) {
    const own = await listJobs(ctx.db, { status: 'dead', tenantId: viewer.tenant.id, kinds, ids, limit: ids.length });
    if (own.length !== new Set(ids).size) throw new AppError('UNDELIVERED_MAIL_NOT_FOUND');
  }
  const requeued = await requeueDeadJobs(ctx.db, { now: ctx.clock.now(), tenantId: viewer.tenant.id, kinds, ...(ids ? { ids } : {}) });
  return requeued;
}

function present(job: OutboxJob): TUndeliveredMail {
  const payload = parsePayload(job.payload);
  return {
    id: job.id,
    kind: MAIL_KINDS[job.kind] ?? 'email',
    to: stringField(payload, 'to') ?? stringField(payload, 'email'),
    subject: stringField(payload, 'subject'),
    queuedAt: job.createdAt.toISOString(),
    failedAt: job.updatedAt.toISOString(),
    attempts: job.attempts,
    lastError: job.lastError,
  };
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringField(payload: Record<string, unknown>, name: string): string | null {
  const value = payload[name];
  return typeof value === 'string' ? value : null;
}
