import type { ColumnType, Kysely, Transaction } from 'kysely';

/**
 * Table types, one interface per table, mirroring `migrations/`. Conventions shared by both
 * dialects (ARCHITECTURE.md §4):
 * - ids are UUIDv7 strings generated in code (`platform/ids.ts`);
 * - timestamps are ISO-8601 UTC strings with milliseconds (`2026-11-24T10:00:00.000Z`), fixed
 *   width so they compare and sort correctly as text on SQLite and PostgreSQL alike
 *   (`platform/db/time.ts` converts);
 * - flags are integers 0/1 (better-sqlite3 cannot bind booleans);
 * - money is an integer amount in minor units plus an ISO-4217 currency code;
 * - every tenant-owned table has `tenant_id NOT NULL` and is reached through `forTenant`.
 */

/** A column the database fills when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type Flag = 0 | 1;

export interface TenantTable {
  id: string;
  slug: string;
  name: string;
  accent_color: string;
  logo_key: string | null;
  currency: string;
  locale: string;
  time_zone: string;
  status: Defaulted<'active' | 'suspended'>;
  portal_submissions_enabled: Defaulted<Flag>;
  portal_reopen_on_reply: Defaulted<Flag>;
  client_visibility_default: Defaulted<'all' | 'own'>;
  next_ticket_number: Defaulted<number>;
  /** JSON of the per-customer limits the organisation changed; NULL: the defaults (migration 0011). */
  customer_limits: string | null;
  next_quote_number: Defaulted<number>;
  quote_default_terms: Defaulted<string>;
  created_at: string;
  updated_at: string;
}

/** A membership of one person (`team_account`) in one tenant. */
export interface TeamMemberTable {
  id: string;
  tenant_id: string;
  /** Always set since migration 0005 (nullable in the schema only because SQLite adds columns that way). */
  account_id: string;
  /** The account's email, kept in sync (the (tenant_id, email) unique constraint stays). */
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'agent';
  status: Defaulted<'active' | 'disabled' | 'invited'>;
  /** SHA-256 of the single-use invitation token while the membership is `invited`. */
  invite_token_hash: string | null;
  invite_expires_at: string | null;
  invited_by_id: string | null;
  /** Receives customer-activity emails (0/1); NULL: as the role says, owners and admins yes (migration 0007). */
  notify_customer_activity: Flag | null;
  created_at: string;
  updated_at: string;
}

/** A person who signs in to the team app; global, not tenant-owned: memberships point at it. */
export interface TeamAccountTable {
  id: string;
  /** Canonical (lower-case) email, unique across the installation. */
  email: string;
  name: string;
  /** argon2id (PHC string); null until the person sets one (invitation or reset). */
  password_hash: string | null;
  password_changed_at: string | null;
  /** AES-256-GCM ciphertext of the TOTP secret (key derived from APP_SECRET). */
  totp_secret: string | null;
  /** A secret being enrolled, until confirmed with a code. */
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  /** The last accepted 30-second TOTP step (replay guard). */
  totp_last_step: number | null;
  reset_token_hash: string | null;
  reset_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TeamRecoveryCodeTable {
  id: string;
  account_id: string;
  /** SHA-256 of the normalised code; the code itself is shown once. */
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** Failed team sign-ins per email (known or not), keyed by the email's SHA-256. */
export interface TeamSignInThrottleTable {
  email_hash: string;
  failed_attempts: Defaulted<number>;
  locked_until: string | null;
  updated_at: string;
}

export interface ClientTable {
  id: string;
  tenant_id: string;
  name: string;
  ticket_visibility: 'all' | 'own';
  created_at: string;
  updated_at: string;
}

export interface ContactTable {
  id: string;
  tenant_id: string;
  client_id: string;
  email: string;
  name: string;
  phone: string | null;
  photo_file_id: string | null;
  status: Defaulted<'active' | 'disabled'>;
  /** When a bounce of our mail said the address takes no email, and the bounce's words (migration 0017). */
  email_undeliverable_at: Defaulted<string | null>;
  email_undeliverable_reason: Defaulted<string | null>;
  created_at: string;
  updated_at: string;
  /** When the contact stopped non-essential ticket emails (migration 0018); null: updates on. */
  email_updates_off_at: Defaulted<string | null>;
}

// Status, priority and source words belong to the tickets feature (features/tickets/ticket.domain.ts);
// platform never imports features, so the columns are text here and the ticket repository narrows them.
export type ActorKind = 'contact' | 'team_member' | 'operator' | 'system';

export interface TicketTable {
  id: string;
  tenant_id: string;
  client_id: string;
  requester_contact_id: string | null;
  number: number;
  title: string;
  status: string;
  priority: string;
  scheduled_at: string | null;
  charge_amount: number | null;
  charge_currency: string | null;
  source: string;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  closed_at: string | null;
  closed_by_kind: ActorKind | null;
  closed_by_id: string | null;
  /** A team member of the same tenant (migration 0006). */
  assignee_id: string | null;
  /** low 0, normal 1, high 2, urgent 3: written with every priority (the ticket repository does), for the inbox's priority sort. */
  priority_rank: Defaulted<number>;
  /** The latest public message of a contact / of a team member (maintained where messages are added). */
  last_customer_message_at: string | null;
  last_team_reply_at: string | null;
}

export interface MessageTable {
  id: string;
  tenant_id: string;
  ticket_id: string;
  author_kind: ActorKind;
  author_id: string | null;
  body: string;
  visibility: 'public' | 'internal';
  via: 'portal' | 'email' | 'app';
  email_message_id: string | null;
  created_at: string;
}

export interface AuditEventTable {
  id: string;
  /** Null only for installation-wide events (an operator added from the CLI). */
  tenant_id: string | null;
  actor_kind: ActorKind;
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  data: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  /** Set on aggregated entries only: the (tenant, kind, who, what, hour) bucket, hashed; unique. */
  aggregate_key: string | null;
  /** How many times an aggregated entry happened (1 for ordinary events). */
  occurrences: Defaulted<number>;
  /** The latest occurrence of an aggregated entry; null for ordinary events. */
  last_at: string | null;
}

export type OutboxStatus = 'pending' | 'done' | 'dead';

export interface OutboxTable {
  id: string;
  tenant_id: string | null;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  status: Defaulted<OutboxStatus>;
  run_at: string;
  attempts: Defaulted<number>;
  /** Null: the worker's configured default (OUTBOX_MAX_ATTEMPTS) applies. */
  max_attempts: number | null;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

export interface OperatorTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  created_at: string;
  password_changed_at: string | null;
  /** Encrypted (see totp.ts); set with `totp_enabled_at` once enrolment is confirmed. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
  disabled_at: string | null;
  updated_at: string | null;
}

/** A console session of an operator (migration 0022); installation-wide, found by its unique hash. */
export interface OperatorSessionTable {
  id: string;
  operator_id: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  /** Null while only the password was given: the session may only enrol or confirm TOTP. */
  second_factor_at: string | null;
  revoked_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface OperatorRecoveryCodeTable {
  id: string;
  operator_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface LoginTokenTable {
  id: string;
  tenant_id: string;
  contact_id: string;
  /** The contact's email when the token was issued; spending fails if it has changed since. */
  email: string;
  kind: 'sign_in' | 'deep_link';
  token_hash: string;
  code_hash: string;
  code_attempts: Defaulted<number>;
  landing_path: string;
  /** Which sign-in request (outbox job) issued it: a retried send is not rate-limited by its own earlier try. */
  request_key: string | null;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
  revoked_at: string | null;
  issued_ip: string | null;
  issued_user_agent: string | null;
}

export interface SessionTable {
  id: string;
  tenant_id: string;
  audience: 'portal' | 'team';
  subject_id: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  revoked_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface DevMailTable {
  id: string;
  created_at: string;
  from_name: string | null;
  from_address: string;
  to_address: string;
  reply_to: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  /** JSON object of the extra headers. */
  headers: string;
  /** JSON array of `{ filename, contentType, size, contentBase64 }`; null when the message had none. */
  attachments: string | null;
}

export const TICKET_EVENT_KINDS = [
  'created',
  'status_changed',
  'priority_changed',
  'assignee_changed',
  'scheduled_changed',
  'charge_changed',
] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

export interface TicketEventTable {
  id: string;
  tenant_id: string;
  ticket_id: string;
  kind: TicketEventKind;
  /** The new status of `created` and `status_changed` events; null for the other kinds. */
  status: string | null;
  /** Old and new value of a change (migration 0006): a status, a priority, a member id, an ISO time, or a charge as JSON. */
  from_value: string | null;
  to_value: string | null;
  actor_kind: ActorKind;
  actor_id: string | null;
  created_at: string;
}

/** When a team member last opened a ticket (the inbox's "unread"). */
export interface TicketReadTable {
  id: string;
  tenant_id: string;
  ticket_id: string;
  member_id: string;
  read_at: string;
  created_at: string;
}

/** A message accepted by an inbound door for one reply address (migration 0016). */
export interface InboundMessageTable {
  id: string;
  tenant_id: string;
  reply_address_id: string;
  ticket_id: string;
  door: 'smtp' | 'webhook';
  /** The SMTP envelope sender (MAIL FROM), when the door knows it; `<>` (null return path) as ''. */
  envelope_from: string | null;
  /** The Message-ID header, or a hash of the raw message when it has none. */
  message_id: string;
  /** Where the raw MIME is kept in the file store. */
  raw_key: string;
  size: number;
  /** JSON: the door's authentication results (DMARC, SPF, DKIM), or null when it has none. */
  authentication: string | null;
  /** received → posted | quarantined | dropped | bounce; quarantined → released | discarded. */
  status: 'received' | 'posted' | 'quarantined' | 'dropped' | 'bounce' | 'released' | 'discarded';
  /** Why it was dropped or quarantined, in words for the team. */
  reason: string | null;
  posted_message_id: string | null;
  created_at: string;
  processed_at: string | null;
  /** Set when processed, for the quarantine list: From address, subject, start of the new text (0017). */
  from_address: Defaulted<string | null>;
  subject: Defaulted<string | null>;
  preview: Defaulted<string | null>;
}

export interface ReplyAddressTable {
  id: string;
  tenant_id: string;
  ticket_id: string;
  /** Who the address routes a reply from: a team member (their notifications) or a contact (theirs). */
  recipient_kind: 'team_member' | 'contact';
  recipient_id: string;
  /** SHA-256 of the opaque token in `reply+<token>@INBOUND_DOMAIN`. */
  token_hash: string;
  /** When the newest customer message the member was emailed about on the ticket was written (migration 0011). */
  notified_until: string | null;
  created_at: string;
}

/** `logo`: an organisation's logo upload, kept only until it is re-encoded into the tenant's logo object. */
export type FilePurpose = 'attachment' | 'profile_photo' | 'logo';
/** uploading: bytes arriving (a crash leaves it for the sweep); processing: an image the worker re-encodes; failed: refused by it. */
export type FileStatus = 'uploading' | 'processing' | 'ready' | 'failed';
/** Malware scan verdict: `not_scanned` without a scanner (and for files older than scanning). */
export type FileScanStatus = 'not_scanned' | 'pending' | 'clean' | 'infected';

export interface FileTable {
  id: string;
  tenant_id: string;
  purpose: FilePurpose;
  uploaded_by_kind: 'contact' | 'team_member';
  uploaded_by_id: string;
  /** Display metadata only (sanitised); never part of a storage key or a path. */
  name: string;
  /** Sniffed from the bytes; for images, the type of the re-encoded original once processed. */
  type: string;
  size: Defaulted<number>;
  sha256: Defaulted<string>;
  status: FileStatus;
  scan_status: Defaulted<FileScanStatus>;
  width: number | null;
  height: number | null;
  display_size: number | null;
  thumb_size: number | null;
  ticket_id: string | null;
  message_id: string | null;
  attached_at: string | null;
  created_at: string;
  updated_at: string;
}

/** bigint columns: pg returns them as text, better-sqlite3 as numbers; repositories convert with Number(). */
type BigIntColumn = ColumnType<number | string, number, number>;

/** A quote of a client (migration 0015); the content columns copy its current version. */
export interface QuoteTable {
  id: string;
  tenant_id: string;
  client_id: string;
  ticket_id: string | null;
  number: number;
  status: string;
  current_version: number;
  currency: string;
  title: string;
  total: BigIntColumn;
  /** YYYY-MM-DD in the organisation's time zone. */
  valid_until: string | null;
  /** The instant the quote lapses (end of valid_until there). */
  lapses_at: string | null;
  requires_signature: Flag;
  first_viewed_at: string | null;
  first_viewed_by_contact_id: string | null;
  sent_at: string | null;
  decided_at: string | null;
  decided_by_contact_id: string | null;
  decline_reason: string | null;
  created_by_member_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface QuoteVersionTable {
  id: string;
  tenant_id: string;
  quote_id: string;
  version: number;
  title: string;
  /** JSON: the computed lines. */
  lines: string;
  /** JSON of the discount as entered, or NULL. */
  discount: string | null;
  subtotal: BigIntColumn;
  discount_amount: BigIntColumn;
  tax: BigIntColumn;
  total: BigIntColumn;
  valid_until: string | null;
  terms: string;
  requires_signature: Flag;
  content_sha256: string;
  created_by_member_id: string | null;
  created_at: string;
}

export interface QuoteRecipientTable {
  id: string;
  tenant_id: string;
  quote_id: string;
  contact_id: string;
  created_at: string;
}

export interface QuoteAcceptanceTable {
  id: string;
  tenant_id: string;
  quote_id: string;
  version: number;
  contact_id: string;
  signer_name: string;
  signature_kind: 'drawn' | 'typed' | 'none';
  /** Base64 of the re-encoded PNG of a drawn signature. */
  signature_png: string | null;
  content_sha256: string;
  ip: string | null;
  user_agent: string | null;
  accepted_at: string;
}

export interface QuoteEventTable {
  id: string;
  tenant_id: string;
  quote_id: string;
  kind: string;
  version: number;
  actor_kind: ActorKind;
  actor_id: string | null;
  detail: string | null;
  created_at: string;
}

/** A custom domain an organisation claimed (migration 0019); one per organisation, host unique. */
export type CustomDomainStatus = 'pending_dns' | 'verified' | 'issuing' | 'active' | 'failed' | 'lapsed';

export interface CustomDomainTable {
  id: string;
  tenant_id: string;
  /** Normalised: lower-case ASCII (punycode), no trailing dot. */
  host: string;
  /** The value the TXT record `_servelo-challenge.<host>` must hold; random per claim. */
  verification_token: string;
  status: CustomDomainStatus;
  /** Why the domain is in its state, in words for the tenant and the operator. */
  status_reason: string | null;
  /** JSON of what DNS answered at the last check (CNAME target, addresses, TXT values). */
  dns_observed: string | null;
  /** When the operator approved issuing (by hand, or automatically once verified). */
  approved_at: string | null;
  verified_at: string | null;
  activated_at: string | null;
  /** When DNS stopped pointing at us; the domain is served until the grace period after it ends. */
  lapsed_at: string | null;
  last_checked_at: string | null;
  next_check_at: string | null;
  check_failures: Defaulted<number>;
  /** The last failed issuance or renewal, in words; cleared on success. */
  certificate_error: string | null;
  certificate_attempts: Defaulted<number>;
  certificate_next_attempt_at: string | null;
  created_by_id: string | null;
  created_at: string;
  updated_at: string;
  /** When the current wait for DNS proof began (migration 0020); null outside `pending_dns`. */
  pending_since: string | null;
}

/** A certificate for a custom domain: issued by ACME or uploaded by an operator (migration 0019). */
export interface DomainCertificateTable {
  id: string;
  tenant_id: string;
  domain_id: string;
  host: string;
  source: 'acme' | 'upload';
  status: 'active' | 'superseded' | 'revoked';
  /** AES-256-GCM ciphertext of the PEM chain (leaf first). */
  cert_ciphertext: string;
  /** AES-256-GCM ciphertext of the PEM private key. */
  key_ciphertext: string;
  issuer: string;
  serial: string;
  /** SHA-256 of the leaf certificate (DER), hex. */
  fingerprint: string;
  not_before: string;
  not_after: string;
  created_at: string;
  revoked_at: string | null;
  revoke_reason: string | null;
}

/** An HTTP-01 key authorisation, answered at `/.well-known/acme-challenge/<token>` on `host` only. */
export interface AcmeChallengeTable {
  id: string;
  tenant_id: string;
  host: string;
  token: string;
  key_authorization: string;
  created_at: string;
  expires_at: string;
}

/** The installation's ACME account for one directory URL (not tenant-owned). */
export interface AcmeAccountTable {
  id: string;
  directory_url: string;
  email: string;
  /** AES-256-GCM ciphertext of the account's PEM private key. */
  key_ciphertext: string;
  account_url: string | null;
  created_at: string;
}

/** Installation-wide settings the operator changes (not tenant-owned); values are JSON. */
export interface PlatformSettingTable {
  key: string;
  value: string;
  updated_by_id: string | null;
  updated_at: string;
}

export interface Database {
  tenant: TenantTable;
  team_member: TeamMemberTable;
  client: ClientTable;
  contact: ContactTable;
  ticket: TicketTable;
  message: MessageTable;
  audit_event: AuditEventTable;
  outbox: OutboxTable;
  operator: OperatorTable;
  operator_recovery_code: OperatorRecoveryCodeTable;
  operator_session: OperatorSessionTable;
  login_token: LoginTokenTable;
  session: SessionTable;
  dev_mail: DevMailTable;
  ticket_event: TicketEventTable;
  ticket_read: TicketReadTable;
  reply_address: ReplyAddressTable;
  inbound_message: InboundMessageTable;
  file: FileTable;
  team_account: TeamAccountTable;
  team_recovery_code: TeamRecoveryCodeTable;
  team_sign_in_throttle: TeamSignInThrottleTable;
  quote: QuoteTable;
  quote_version: QuoteVersionTable;
  quote_recipient: QuoteRecipientTable;
  quote_acceptance: QuoteAcceptanceTable;
  quote_event: QuoteEventTable;
  custom_domain: CustomDomainTable;
  domain_certificate: DomainCertificateTable;
  acme_challenge: AcmeChallengeTable;
  acme_account: AcmeAccountTable;
  platform_setting: PlatformSettingTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Anything queries can run on: the pool or an open transaction. */
export type Executor = Kysely<Database>;

/** Tables that belong to one tenant; they are reached only through `forTenant` (tenant-scope.ts). */
export type TenantOwnedTable = {
  [K in keyof Database]: Database[K] extends { tenant_id: string } ? K : never;
}[keyof Database];
