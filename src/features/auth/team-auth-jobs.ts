import type { AppContext } from '../../platform/context.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { createInvitationHandler, TEAM_INVITATION_JOB } from '../team/invitation.service.js';
import { createPasswordResetHandler, TEAM_PASSWORD_RESET_JOB } from './team-password-reset.service.js';

/** The outbox jobs of team sign-in (emails with single-use links), for job-handlers.ts. */
export function teamAuthJobHandlers(
  deps: AppContext & { mailer: Mailer; publicUrl: string; fromAddress: string },
): Record<string, JobHandler> {
  return {
    [TEAM_PASSWORD_RESET_JOB]: createPasswordResetHandler(deps),
    [TEAM_INVITATION_JOB]: createInvitationHandler(deps),
  };
}
