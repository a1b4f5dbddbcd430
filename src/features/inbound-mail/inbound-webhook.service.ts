import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors.js';
import { parseReplyAddress } from '../notifications/reply-address.service.js';
import { authenticationFromRelay, headerValues } from './inbound-authentication.js';
import { acceptInboundMail, type AcceptedInboundMail, type InboundMailDeps } from './inbound-mail.service.js';

/**
 * The webhook door: a mail provider (or a relay of the installation's own) posts the raw MIME to
 * `POST /api/inbound/email`, signed with INBOUND_WEBHOOK_SECRET:
 *
 *   X-Servelo-Timestamp: <unix seconds>
 *   X-Servelo-Signature: sha256=<hex of HMAC-SHA-256(secret, timestamp + "." + body)>
 *
 * A signature is good for 5 minutes either side of our clock, so a captured request cannot be
 * replayed later; one replayed within the window is a second delivery of the same Message-ID,
 * which the pipeline stores once.
 */

/** How far a signed timestamp may be from our clock, either way. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export interface WebhookSignature {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/**
 * @throws INBOUND_SIGNATURE_MISSING (headers absent or malformed), INBOUND_SIGNATURE_INVALID,
 * INBOUND_TIMESTAMP_OUT_OF_RANGE (a good signature, more than 5 minutes old or ahead)
 */
export function verifyWebhookSignature(secret: string, headers: WebhookSignature, body: Buffer, now: Date): void {
  const timestamp = headers.timestamp?.trim();
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(headers.signature?.trim() ?? '')?.[1];
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !hex) throw new AppError('INBOUND_SIGNATURE_MISSING');
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(hex, 'hex'))) throw new AppError('INBOUND_SIGNATURE_INVALID');
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > WEBHOOK_TOLERANCE_MS) throw new AppError('INBOUND_TIMESTAMP_OUT_OF_RANGE');
}

/** The signature header value for a body (what a relay computes; the tests and the README use it too). */
export function signWebhookBody(secret: string, timestamp: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export interface WebhookDelivery {
  readonly raw: Buffer;
  /** The envelope recipients the provider names (X-Servelo-Recipients), or none. */
  readonly recipients: readonly string[];
  readonly trustedRelays: readonly string[];
}

/**
 * Accepts a signed message for its recipients: the ones the provider named, else the reply
 * addresses in its Delivered-To, X-Original-To, To and Cc headers. Recipients that route nowhere
 * are returned as unroutable (the route logs them); nothing is bounced.
 */
export async function acceptWebhookMail(deps: InboundMailDeps, delivery: WebhookDelivery): Promise<AcceptedInboundMail> {
  const to = delivery.recipients.length > 0 ? [...delivery.recipients] : replyAddressesInHeaders(delivery.raw, deps.inboundDomain);
  return acceptInboundMail(deps, {
    raw: delivery.raw,
    door: 'webhook',
    envelope: { from: returnPathOf(delivery.raw), to },
    authentication: authenticationFromRelay(delivery.raw, delivery.trustedRelays),
  });
}

/** Most recipients one request may name (a reply goes to one address; a few Cc'd team members at most). */
export const MAX_WEBHOOK_RECIPIENTS = 50;

/** `a@x, b@y` → the addresses, at most MAX_WEBHOOK_RECIPIENTS. */
export function parseRecipientList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim().replace(/^<|>$/g, ''))
    .filter((s) => s.length > 0 && s.length <= 320 && s.includes('@'))
    .slice(0, MAX_WEBHOOK_RECIPIENTS);
}

function replyAddressesInHeaders(raw: Buffer, inboundDomain: string): string[] {
  const found = new Set<string>();
  for (const name of ['delivered-to', 'x-original-to', 'to', 'cc']) {
    for (const value of headerValues(raw, name)) {
      for (const match of value.matchAll(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g)) {
        if (parseReplyAddress(match[0], inboundDomain) !== undefined) found.add(match[0]);
      }
    }
  }
  return [...found].slice(0, MAX_WEBHOOK_RECIPIENTS);
}

/** The Return-Path a provider records ('' for `<>`), or null when it does not say. */
function returnPathOf(raw: Buffer): string | null {
  const value = headerValues(raw, 'return-path')[0];
  if (value === undefined) return null;
  return /<([^<>]*)>/.exec(value)?.[1]?.trim() ?? value.trim();
}
