import { isSingleAddress, MAX_DISPLAY_NAME_LENGTH, MAX_SUBJECT_LENGTH, sanitizeHeaderText } from './mail-sanitize.js';
import { MAIL_ATTACHMENT_TYPES, type MailAttachment, type OutgoingMail } from './mailer.js';

/**
 * The checks and clean-up every transport applies before a message leaves (SECURITY.md §6), kept
 * in one place so the dev mailbox shows exactly what SMTP would have sent.
 */
export interface PreparedMail {
  /** `name` is empty when there is none to show. */
  readonly from: { readonly name: string; readonly address: string };
  readonly to: string;
  readonly replyTo: string | null;
  /** The envelope sender (MAIL FROM): where bounces go. */
  readonly returnPath: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Sanitised extra headers, `Auto-Submitted` included. */
  readonly headers: Readonly<Record<string, string>>;
  /** Attachments with plain file names; empty when none. */
  readonly attachments: readonly MailAttachment[];
}

/** Mail is not a file transfer: a few small files, and the whole message stays well inside what relays accept. */
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** A message that cannot be sent as given: a bug in the caller, not a transient failure. */
export class InvalidMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMailError';
  }
}

export const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/**
 * Headers the structured fields own. Setting them through `headers` would bypass the checks
 * above (a second recipient in `Cc`, a raw `Subject`) or break the MIME structure.
 */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'reply-to',
  'sender',
  'date',
  'return-path',
  'received',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
]);

/** Validates the addresses and sanitises every header-bound field; throws `InvalidMailError` when the message cannot be sent safely. */
export function prepareMail(mail: OutgoingMail): PreparedMail {
  requireSingleAddress(mail.from.address, 'from');
  requireSingleAddress(mail.to, 'to');
  if (mail.replyTo !== undefined) requireSingleAddress(mail.replyTo, 'replyTo');
  if (mail.returnPath !== undefined) requireSingleAddress(mail.returnPath, 'returnPath');
  const subject = sanitizeHeaderText(mail.subject, MAX_SUBJECT_LENGTH);
  if (subject === '') throw new InvalidMailError('subject is empty');

  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!HEADER_NAME.test(name) || name.length > 76) throw new InvalidMailError(`header name ${JSON.stringify(name)} is not a plain token`);
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower)) throw new InvalidMailError(`header ${name} is set through its own field`);
    if (seen.has(lower)) throw new InvalidMailError(`header ${name} is given twice`);
    seen.add(lower);
    // Room for "Name: " within the 998-octet line limit.
    const clean = sanitizeHeaderText(String(value), 998 - name.length - 2);
    if (clean !== '') headers[name] = clean;
  }
  // RFC 3834: everything we send is machine-generated, so auto-responders must not answer it
  // (and we must not answer theirs, SECURITY.md §6). A caller may say otherwise explicitly.
  if (!seen.has('auto-submitted')) headers['Auto-Submitted'] = 'auto-generated';

  return {
    from: { name: sanitizeHeaderText(mail.from.name ?? '', MAX_DISPLAY_NAME_LENGTH), address: mail.from.address },
    to: mail.to,
    replyTo: mail.replyTo ?? null,
    returnPath: mail.returnPath ?? mail.from.address,
    subject,
    text: mail.text,
    html: mail.html,
    headers,
    attachments: prepareAttachments(mail.attachments ?? []),
  };
}

function prepareAttachments(attachments: readonly MailAttachment[]): MailAttachment[] {
  if (attachments.length > MAX_ATTACHMENTS) throw new InvalidMailError(`at most ${MAX_ATTACHMENTS} attachments`);
  const total = attachments.reduce((sum, a) => sum + a.content.length, 0);
  if (total > MAX_ATTACHMENT_BYTES) throw new InvalidMailError(`attachments exceed ${MAX_ATTACHMENT_BYTES} bytes`);
  return attachments.map((attachment) => {
    if (!(MAIL_ATTACHMENT_TYPES as readonly string[]).includes(attachment.contentType)) {
      throw new InvalidMailError(`attachment type ${JSON.stringify(attachment.contentType)} is not one we send`);
    }
    // A name, never a path; control characters and quotes would break the MIME header.
    const base = attachment.filename.split(/[\\/]/).pop() ?? '';
    const filename = sanitizeHeaderText(base.replace(/["]/g, ''), 200);
    if (filename === '' || filename === '.' || filename === '..') throw new InvalidMailError('attachment has no file name');
    return { filename, contentType: attachment.contentType, content: attachment.content };
  });
}

/** The `Message-ID` a caller chose (threading), if any. */
export function findMessageIdHeader(headers: Readonly<Record<string, string>>): string | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'message-id');
  return entry?.[1];
}

function requireSingleAddress(value: string, field: string): void {
  if (!isSingleAddress(value)) throw new InvalidMailError(`${field} must be exactly one plain address`);
}
