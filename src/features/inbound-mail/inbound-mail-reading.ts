import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';
import type { AddressObject, Attachment, ParsedMail } from 'mailparser';

/**
 * What the pipeline reads from a parsed message, as pure functions over mailparser's result:
 * whether it is automated mail (never posted, reopened or notified: SECURITY.md §6), whether it
 * is a delivery failure report, who it is from, and the new text a person wrote.
 */

/** More nested multipart boundaries than any mail client writes: such a message is dropped unread. */
export const MAX_MIME_BOUNDARIES = 32;

/** The longest message the pipeline posts (the reply schemas' limit); longer text is cut there. */
export const MAX_POSTED_TEXT = 20_000;

/**
 * How many multipart boundaries the raw message declares, counted in its headers before parsing
 * (a message nested 100 deep would otherwise cost a parse of every level).
 */
export function countMimeBoundaries(raw: Buffer): number {
  const text = raw.toString('latin1');
  return (text.match(/^content-type:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*?\bboundary\s*=/gim) ?? []).length;
}

function headerText(mail: ParsedMail, name: string): string | undefined {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return String(value as unknown);
}

/** The single address of the From header (lower-cased), or undefined when it has none or several. */
export function fromAddressOf(mail: ParsedMail): string | undefined {
  const addresses = addressesOf(mail.from);
  return addresses.length === 1 ? addresses[0] : undefined;
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((o) => o.value.flatMap((a) => (a.address ? [a.address.trim().toLowerCase()] : [])));
}

/**
 * Why a message is automated mail, or undefined when a person seems to have written it. `ours`:
 * our own sending address and anything at the inbound domain (a loop through ourselves).
 */
export function automatedReason(
  mail: ParsedMail,
  envelopeFrom: string | null,
  ours: { readonly fromAddress: string; readonly inboundDomain: string },
): string | undefined {
  const autoSubmitted = headerText(mail, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted.split(';')[0]!.trim() !== 'no') return `automatic message (Auto-Submitted: ${autoSubmitted})`;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'automatic reply (X-Autoreply)';
  const precedence = headerText(mail, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return `bulk mail (Precedence: ${precedence})`;
  if (mail.headers.has('list-id')) return 'mailing-list mail (List-Id)';
  if (isReport(mail)) return 'delivery status report';
  const returnPath = headerText(mail, 'return-path')?.trim();
  if (envelopeFrom === '' || returnPath === '<>') return 'null return path (<>)';
  const from = fromAddressOf(mail);
  const local = from?.split('@')[0] ?? '';
  if (local === 'mailer-daemon' || local === 'postmaster') return `sent by ${from}`;
  if (from && (from === ours.fromAddress.toLowerCase() || from.endsWith(`@${ours.inboundDomain.toLowerCase()}`)))
    return `sent from our own address (${from})`;
  return undefined;
}

function isReport(mail: ParsedMail): boolean {
  const type = mail.headers.get('content-type');
  const value = typeof type === 'object' && type !== null && 'value' in type ? String(type.value) : String(type ?? '');
  return value.toLowerCase().startsWith('multipart/report');
}

/** One recipient a delivery status report says our mail could not be delivered to. */
export interface FailedDelivery {
  readonly address: string;
  /** The status code and the remote server's words, e.g. `5.1.1 smtp; 550 5.1.1 No such user`. */
  readonly diagnostic: string;
}

/**
 * The recipients a DSN (RFC 3464: multipart/report; report-type=delivery-status) reports as
 * failed. Empty for any other message, and for reports of delays or successes.
 */
export function failedDeliveriesOf(mail: ParsedMail, raw: Buffer): FailedDelivery[] {
  if (!isReport(mail)) return [];
  // mailparser folds the delivery-status part into the text; the part is read from the raw message.
  const source = raw.toString('utf8').replace(/\r\n/g, '\n');
  const header = /^content-type:\s*message\/(?:global-)?delivery-status[^\n]*\n(?:[^\n]+\n)*?\n/im.exec(source);
  if (!header) return [];
  const rest = source.slice(header.index + header[0].length);
  const end = rest.indexOf('\n--');
  const text = (end >= 0 ? rest.slice(0, end) : rest).replace(/\n[ \t]+/g, ' ');
  // Per-message fields first, then one block per recipient, separated by blank lines.
  const blocks = text.split(/\n\s*\n/).map(fieldsOf);
  const failed: FailedDelivery[] = [];
  for (const fields of blocks) {
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    if (!recipient || fields.get('action')?.toLowerCase() !== 'failed') continue;
    const address = recipient
      .replace(/^[^;]*;\s*/, '')
      .trim()
      .toLowerCase();
    if (!address.includes('@')) continue;
    const diagnostic = [fields.get('status'), fields.get('diagnostic-code')].filter(Boolean).join(' ').slice(0, 500);
    failed.push({ address, diagnostic: diagnostic || 'delivery failed' });
  }
  return failed;
}

function fieldsOf(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * The text a person newly wrote: the plain-text part (or, without one, the HTML converted to
 * text by mailparser; HTML is never rendered or stored), without the quoted history, the answer
 * header ("On … wrote:") and the signature (email-reply-parser), without control characters,
 * and cut at MAX_POSTED_TEXT.
 */
export function newTextOf(mail: ParsedMail, raw: Buffer): string {
  const text = (hasTextPart(raw) || !mail.html ? (mail.text ?? '') : htmlToText(mail.html)).replace(/\r\n?/g, '\n');
  const visible = new EmailReplyParser().parseReply(text);
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = visible.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  const trimmed = clean.replace(/[ \t]+$/gm, '').trim();
  return trimmed.length > MAX_POSTED_TEXT ? trimmed.slice(0, MAX_POSTED_TEXT) : trimmed;
}

/** Whether the message has a plain-text part (or is plain text by default, with no Content-Type). */
function hasTextPart(raw: Buffer): boolean {
  const text = raw.toString('latin1');
  return /^content-type:\s*text\/plain/im.test(text) || !/^content-type:/im.test(text);
}

/**
 * An HTML-only message as text: scripts, styles and images dropped (the HTML itself is never
 * rendered or stored), links as their text followed by the address.
 */
function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
    ],
  });
}

/**
 * Embedded images smaller than this that the HTML shows inline (multipart/related, by cid) are
 * decoration — a signature's logo, a social icon — not something the sender meant to attach.
 */
const DECORATION_BYTES = 16 * 1024;

/** The files a person attached, in order, without inline decoration. */
export function attachmentsOf(mail: ParsedMail): Attachment[] {
  return mail.attachments.filter(
    (a) =>
      !['message/delivery-status', 'message/global-delivery-status'].includes(a.contentType) &&
      !(a.related && a.contentType.startsWith('image/') && a.size < DECORATION_BYTES),
  );
}

/** The subject, for the team's quarantine list. */
export function subjectOf(mail: ParsedMail): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return (mail.subject ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300);
}
