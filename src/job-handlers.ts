import type { Deps } from './deps.js';
import type { JobHandler } from './platform/jobs/worker.js';

/**
 * Every kind of outbox job and the feature function that runs it, wired explicitly like the
 * routes in app.ts. Features add their kinds here (outgoing mail comes with sign-in).
 */
export function buildJobHandlers(_deps: Deps): Record<string, JobHandler> {
  return {};
}
