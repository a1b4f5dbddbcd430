/**
 * The outbound mail port. Two transports implement it: SMTP (`SMTP_URL`, nodemailer) and the dev
 * mailbox (the default), which keeps what was "sent" for `/_dev/mail`. Messages are built only
 * from these structured fields; transports strip CR/LF and control characters from the subject
 * and display names, and `to` is always exactly one address (SECURITY.md §6).
 */
export interface MailAddress {
  readonly name?: string;
  readonly address: string;
}

export interface OutgoingMail {
  readonly from: MailAddress;
  /** The only recipient: an address taken from our database, never from request input. */
  readonly to: string;
  readonly replyTo?: string;
  /**
   * The envelope sender (MAIL FROM), where a bounce goes; the From address when absent. Mail to a
   * customer about a ticket uses their reply address, so a bounce comes back to the inbound
   * pipeline, which marks the address undeliverable.
   */
  readonly returnPath?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Extra headers (e.g. `Auto-Submitted`, threading); names and values are sanitised by the transport. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Files sent with the message (a signed quote's PDF): made by us, never a user's upload passed through. */
  readonly attachments?: readonly MailAttachment[];
}

export interface MailAttachment {
  /** Shown to the recipient; sanitised by the transport (no path, no control characters). */
  readonly filename: string;
  readonly contentType: MailAttachmentType;
  readonly content: Buffer;
}

/** The only kinds of file our mail carries. */
export const MAIL_ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/calendar', 'text/plain'] as const;
export type MailAttachmentType = (typeof MAIL_ATTACHMENT_TYPES)[number];

export interface Mailer {
  readonly transport: 'smtp' | 'dev-mailbox';
  /** Sends or throws; the outbox retries a thrown send with backoff. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}
