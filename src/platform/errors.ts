/**
 * The one error type of the application. A code is SCREAMING_SNAKE, stable and documented; the
 * status map below must name every code (adding a code without a status fails to compile).
 * `message` is written for the person who sees it; internals go in `cause`, which is logged and
 * never sent.
 */
const STATUS_BY_CODE = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  PORTAL_SUBMISSIONS_DISABLED: 403,
  CLOSING_MESSAGE_REQUIRED: 400,
  TICKET_CLOSED: 409,
  PHONE_INVALID: 400,
  UPLOAD_INVALID: 400,
  FILE_NOT_FOUND: 404,
  FILE_NOT_READY: 409,
  FILE_SCAN_PENDING: 409,
  FILE_INFECTED: 410,
  UPLOAD_INFECTED: 422,
  LENGTH_REQUIRED: 411,
  FILE_TOO_LARGE: 413,
  TOO_MANY_FILES: 413,
  TICKET_QUOTA_EXCEEDED: 413,
  TENANT_QUOTA_EXCEEDED: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  RANGE_NOT_SATISFIABLE: 416,
  IMAGE_TOO_LARGE: 422,
  IMAGE_INVALID: 422,
  SIGNATURE_INVALID: 400,
  SIGNATURE_REQUIRED: 400,
  QUOTE_NOT_FOUND: 404,
  QUOTE_NOT_SENT: 409,
  QUOTE_ALREADY_SENT: 409,
  QUOTE_ALREADY_DECIDED: 409,
  QUOTE_EXPIRED: 409,
  QUOTE_SUPERSEDED: 409,
  QUOTE_WITHDRAWN: 409,
  QUOTE_NOT_EDITABLE: 409,
  QUOTE_TOTAL_TOO_LARGE: 400,
  QUOTE_NO_RECIPIENTS: 409,
  LINK_INVALID: 400,
  CODE_INVALID: 400,
  SIGN_IN_CONFIRM_UNBOUND: 403,
  NOT_FOUND: 404,
  TENANT_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  CLIENT_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 404,
  CONTACT_DISABLED: 409,
  TEAM_MEMBER_NOT_FOUND: 404,
  UNDELIVERED_MAIL_NOT_FOUND: 404,
  INBOUND_MESSAGE_NOT_FOUND: 404,
  INBOUND_CANNOT_POST: 409,
  METHOD_NOT_ALLOWED: 405,
  TENANT_SLUG_TAKEN: 409,
  EMAIL_TAKEN: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CUSTOMER_LIMIT_REACHED: 429,
  PENDING_UPLOADS_FULL: 413,
  SIGN_IN_FAILED: 401,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  ACCOUNT_LOCKED: 429,
  PASSWORD_TOO_WEAK: 400,
  RESET_LINK_INVALID: 400,
  UNSUBSCRIBE_LINK_INVALID: 400,
  INVITATION_INVALID: 400,
  TOTP_NOT_PENDING: 409,
  TOTP_ALREADY_ENABLED: 409,
  TOTP_ENROLMENT_REQUIRED: 403,
  LAST_OWNER: 409,
  INBOUND_SIGNATURE_MISSING: 401,
  INBOUND_SIGNATURE_INVALID: 401,
  INBOUND_TIMESTAMP_OUT_OF_RANGE: 401,
  DOMAIN_INVALID: 400,
  DOMAIN_TAKEN: 409,
  DOMAIN_NOT_FOUND: 404,
  DOMAIN_NOT_VERIFIED: 409,
  TENANT_SUSPENDED: 409,
  CERTIFICATE_NOT_FOUND: 404,
  CERTIFICATE_INVALID: 400,
  CERTIFICATE_HOST_MISMATCH: 400,
  CERTIFICATE_EXPIRED: 400,
  CERTIFICATE_NOT_YET_VALID: 400,
  CERTIFICATE_KEY_MISMATCH: 400,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  INSUFFICIENT_STORAGE: 507,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Some of the information sent is not valid.',
  INVALID_JSON: 'The request body is not valid JSON.',
  UNAUTHENTICATED: 'Please sign in to continue.',
  FORBIDDEN: 'You are not allowed to do this.',
  CROSS_SITE_REQUEST: 'This request did not come from this site and was refused.',
  PORTAL_SUBMISSIONS_DISABLED: 'New requests cannot be submitted here. Please contact us directly.',
  CLOSING_MESSAGE_REQUIRED: 'Please write a short message saying why you are closing this ticket.',
  TICKET_CLOSED: 'This ticket is closed. Please open a new request instead.',
  PHONE_INVALID: 'This phone number does not look right. Include the area code.',
  UPLOAD_INVALID: 'This upload is not valid. Send the files as multipart/form-data in fields named "files".',
  FILE_NOT_FOUND: 'This file does not exist or you do not have access to it.',
  FILE_NOT_READY: 'This file is still being processed. Try again in a moment.',
  FILE_SCAN_PENDING: 'This file is still being checked for viruses. Try again in a moment.',
  FILE_INFECTED: 'This file failed a virus scan and was removed.',
  UPLOAD_INFECTED: 'This file failed a virus scan and was not kept.',
  LENGTH_REQUIRED: 'Uploads must state their length (Content-Length).',
  FILE_TOO_LARGE: 'A file is larger than the limit.',
  TOO_MANY_FILES: 'Too many files in one upload.',
  TICKET_QUOTA_EXCEEDED: 'This ticket has no room for more files.',
  TENANT_QUOTA_EXCEEDED: 'The organisation has run out of file storage.',
  FILE_TYPE_NOT_ALLOWED: 'This kind of file is not accepted.',
  RANGE_NOT_SATISFIABLE: 'The requested range is not within the file.',
  IMAGE_TOO_LARGE: 'This image has too many pixels.',
  IMAGE_INVALID: 'This image could not be read.',
  SIGNATURE_INVALID: 'This signature could not be used: draw it again, or type your full name instead.',
  SIGNATURE_REQUIRED: 'This quote needs your signature: draw it, or type your full name.',
  QUOTE_NOT_FOUND: 'This quote does not exist or you do not have access to it.',
  QUOTE_NOT_SENT: 'This quote has not been sent yet.',
  QUOTE_ALREADY_SENT: 'This quote has already been sent. Edit it to send a new version.',
  QUOTE_ALREADY_DECIDED: 'This quote has already been accepted or declined.',
  QUOTE_EXPIRED: 'This quote has expired. Ask for a new one.',
  QUOTE_SUPERSEDED: 'This quote has been updated since you opened it. Please read the new version before you accept it.',
  QUOTE_WITHDRAWN: 'This quote has been withdrawn.',
  QUOTE_NOT_EDITABLE: 'This quote can no longer be changed. Duplicate it to make a new one.',
  QUOTE_TOTAL_TOO_LARGE: 'The total of this quote is too large.',
  QUOTE_NO_RECIPIENTS: 'The client has no active contact to send this quote to.',
  LINK_INVALID: 'This sign-in link has expired or has already been used. You can ask for a new one.',
  CODE_INVALID: 'That code is not valid or has expired. Check the latest email or ask for a new link.',
  SIGN_IN_CONFIRM_UNBOUND:
    'For your security, please open the sign-in link from your email again in this browser, then press Sign in. Your link still works.',
  NOT_FOUND: 'We could not find what you were looking for.',
  TENANT_NOT_FOUND: 'We could not find what you were looking for.',
  TICKET_NOT_FOUND: 'This ticket does not exist or you do not have access to it.',
  UNDELIVERED_MAIL_NOT_FOUND: 'This email is not one of your organisation’s undelivered emails (it may have been sent again already).',
  INBOUND_MESSAGE_NOT_FOUND: 'This email is not in your organisation’s quarantine (it may have been released or discarded already).',
  INBOUND_CANNOT_POST: 'This email cannot be posted to its ticket.',
  CLIENT_NOT_FOUND: 'This client does not exist.',
  CONTACT_NOT_FOUND: 'This contact does not exist.',
  CONTACT_DISABLED: 'This contact is disabled. Enable it first.',
  TEAM_MEMBER_NOT_FOUND: 'This team member does not exist.',
  METHOD_NOT_ALLOWED: 'This method is not allowed here.',
  TENANT_SLUG_TAKEN: 'This address is already used by another organisation.',
  EMAIL_TAKEN: 'This email address is already in use.',
  CONFLICT: 'This change conflicts with the current state. Reload and try again.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'This kind of request body is not accepted here.',
  RATE_LIMITED: 'Too many requests. Please wait a moment and try again.',
  CUSTOMER_LIMIT_REACHED: 'You have sent a lot of requests. Please wait a while and try again.',
  PENDING_UPLOADS_FULL:
    'You have many files uploaded but not sent yet. Send them with your message, or remove some, before uploading more.',
  SIGN_IN_FAILED: 'The email or password is not correct.',
  TOTP_REQUIRED: 'Enter the 6-digit code from your authenticator app, or a recovery code.',
  TOTP_INVALID: 'That code is not valid. Enter the current code from your authenticator app, or a recovery code.',
  ACCOUNT_LOCKED: 'Too many failed sign-in attempts. Wait a moment and try again, or reset your password.',
  PASSWORD_TOO_WEAK: 'Choose a longer or less common password (at least 12 characters, not your email address).',
  RESET_LINK_INVALID: 'This password reset link has expired or has already been used. You can ask for a new one.',
  UNSUBSCRIBE_LINK_INVALID: 'This unsubscribe link is not valid. You can turn emails off in your profile in the portal.',
  INVITATION_INVALID: 'This invitation has expired or has already been used. Ask for a new one.',
  TOTP_NOT_PENDING: 'Start the authenticator setup first.',
  TOTP_ALREADY_ENABLED: 'Two-step sign-in is already on.',
  TOTP_ENROLMENT_REQUIRED: 'Set up two-step sign-in with an authenticator app before you continue.',
  LAST_OWNER: 'The organisation needs at least one active owner.',
  INBOUND_SIGNATURE_MISSING: 'This request must carry X-Servelo-Timestamp and X-Servelo-Signature: sha256=<hex> headers.',
  INBOUND_SIGNATURE_INVALID: 'The signature of this request does not match its timestamp and body.',
  INBOUND_TIMESTAMP_OUT_OF_RANGE: 'The timestamp of this request is more than 5 minutes away from now; sign it again.',
  DOMAIN_INVALID: 'This is not a domain name the organisation can use.',
  DOMAIN_TAKEN: 'This domain is already claimed by another organisation. If it is yours, remove it there first.',
  DOMAIN_NOT_FOUND: 'The organisation has no custom domain.',
  TENANT_SUSPENDED: 'This organisation is suspended; resume it first.',
  DOMAIN_NOT_VERIFIED: 'This domain’s DNS is not verified yet, so no certificate can be issued for it.',
  CERTIFICATE_NOT_FOUND: 'This certificate does not exist.',
  CERTIFICATE_INVALID: 'This certificate or key could not be read. Paste the PEM certificate chain (leaf first) and its PEM private key.',
  CERTIFICATE_HOST_MISMATCH: 'This certificate is not valid for the domain’s name.',
  CERTIFICATE_EXPIRED: 'This certificate has expired.',
  CERTIFICATE_NOT_YET_VALID: 'This certificate is not valid yet.',
  CERTIFICATE_KEY_MISMATCH: 'This private key does not belong to the certificate.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again.',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable. Please try again shortly.',
  INSUFFICIENT_STORAGE: 'The server has run out of storage space, so this could not be saved. Nothing was changed; please try again later.',
};

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: readonly ErrorDetail[] | undefined;
  /**
   * Response headers that belong to the error itself (`Retry-After` on a lock or a rate limit,
   * `WWW-Authenticate`), set by the one error handler, so no route wraps an error to add a header.
   */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { cause?: unknown; details?: readonly ErrorDetail[]; headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message ?? DEFAULT_MESSAGES[code], { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
