import type { Clock } from './clock.js';
import type { Db } from './db/database.js';
import type { ExecutorOrScope } from './db/tenant-scope.js';

/** What every service function needs from the outside world, passed in narrowly. */
export interface AppContext {
  readonly db: Db;
  readonly clock: Clock;
}

/**
 * A context whose database may also be a tenant scope in the middle of a transaction: a service
 * taking it opens its scope with forTenant, which joins the caller's transaction instead of
 * starting its own. Callers pass `{ db: scope, clock }`; nobody unwraps the scope.
 */
export interface ScopeContext {
  readonly db: ExecutorOrScope;
  readonly clock: Clock;
}
