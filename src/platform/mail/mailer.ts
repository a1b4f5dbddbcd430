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
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Extra headers (e.g. `Auto-Submitted`, threading); names and values are sanitised by the transport. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  readonly transport: 'smtp' | 'dev-mailbox';
  /** Sends or throws; the outbox retries a thrown send with backoff. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}
