import type { Executor } from '../db/database.js';
import { AppError } from '../errors.js';
import { isId } from '../ids.js';
import { type DevMail, deleteAllDevMail, findDevMailById, selectDevMail } from './dev-mail.repository.js';

export type { DevMail } from './dev-mail.repository.js';

/** The dev mailbox's messages, newest first, optionally only those to one address. */
export async function listDevMail(db: Executor, options: { readonly limit: number; readonly to?: string }): Promise<DevMail[]> {
  return selectDevMail(db, options);
}

/** One message of the dev mailbox, or undefined. */
export async function findDevMail(db: Executor, id: string): Promise<DevMail | undefined> {
  // Ids are UUIDs; anything else cannot be one of ours, so skip the query.
  return isId(id) ? findDevMailById(db, id) : undefined;
}

/**
 * One message of the dev mailbox.
 * @throws NOT_FOUND
 */
export async function getDevMail(db: Executor, id: string): Promise<DevMail> {
  const mail = await findDevMail(db, id);
  if (!mail) throw new AppError('NOT_FOUND');
  return mail;
}

/** Empties the dev mailbox; returns how many messages were deleted. */
export async function clearDevMail(db: Executor): Promise<number> {
  return deleteAllDevMail(db);
}
