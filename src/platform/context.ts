import type { Clock } from './clock.js';
import type { Db } from './db/database.js';

/** What every service function needs from the outside world, passed in narrowly. */
export interface AppContext {
  readonly db: Db;
  readonly clock: Clock;
}
