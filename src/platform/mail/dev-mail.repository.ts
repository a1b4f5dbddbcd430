import type { Selectable } from 'kysely';
import type { DevMailTable, Executor } from '../db/database.js';
import { fromDbTime, toDbTime } from '../db/time.js';

/**
 * The dev mailbox's store (`dev_mail`): what the dev-mailbox transport "sent". It is
 * installation-wide, not tenant data — a development tool that shows every tenant's mail in one
 * list — so it is queried directly rather than through the tenant scope.
 */
export interface DevMail {
  readonly id: string;
  readonly createdAt: Date;
  readonly from: { readonly name: string | null; readonly address: string };
  readonly to: string;
  readonly replyTo: string | null;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly attachments: readonly DevMailAttachment[];
}

export interface DevMailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

function toDevMail(row: Selectable<DevMailTable>): DevMail {
  return {
    id: row.id,
    createdAt: fromDbTime(row.created_at),
    from: { name: row.from_name, address: row.from_address },
    to: row.to_address,
    replyTo: row.reply_to,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    headers: parseHeaders(row.headers),
    attachments: parseAttachments(row.attachments),
  };
}

function parseAttachments(text: string | null): DevMailAttachment[] {
  if (text === null) return [];
  const list = JSON.parse(text) as { filename: string; contentType: string; contentBase64: string }[];
  return list.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') }));
}

/** Stores one message. */
export async function insertDevMail(db: Executor, mail: DevMail): Promise<void> {
  await db
    .insertInto('dev_mail')
    .values({
      id: mail.id,
      created_at: toDbTime(mail.createdAt),
      from_name: mail.from.name,
      from_address: mail.from.address,
      to_address: mail.to,
      reply_to: mail.replyTo,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      headers: JSON.stringify(mail.headers),
      attachments:
        mail.attachments.length === 0
          ? null
          : JSON.stringify(
              mail.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                size: a.content.length,
                contentBase64: a.content.toString('base64'),
              })),
            ),
    })
    .execute();
}

/** Deletes all but the newest `keep` messages; returns how many went. */
export async function deleteDevMailBeyond(db: Executor, keep: number): Promise<number> {
  const newest = db.selectFrom('dev_mail').select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(keep);
  const result = await db.deleteFrom('dev_mail').where('id', 'not in', newest).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Newest first; `to` matches the recipient case-insensitively. */
export async function selectDevMail(db: Executor, options: { readonly limit: number; readonly to?: string }): Promise<DevMail[]> {
  let query = db.selectFrom('dev_mail').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.to !== undefined) {
    const to = options.to.toLowerCase();
    query = query.where((eb) => eb(eb.fn<string>('lower', ['to_address']), '=', to));
  }
  return (await query.execute()).map(toDevMail);
}

export async function findDevMailById(db: Executor, id: string): Promise<DevMail | undefined> {
  const row = await db.selectFrom('dev_mail').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDevMail(row) : undefined;
}

/** Empties the mailbox; returns how many messages went. */
export async function deleteAllDevMail(db: Executor): Promise<number> {
  const result = await db.deleteFrom('dev_mail').executeTakeFirst();
  return Number(result.numDeletedRows);
}

function parseHeaders(json: string): Record<string, string> {
  const value: unknown = JSON.parse(json);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
