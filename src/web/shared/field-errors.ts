import { ApiError, messageOf } from './api-client.js';

export interface FormErrors<F extends string> {
  readonly fields: Partial<Record<F, string>>;
  /** A problem that belongs to no field (network, unexpected answer, a rule about the whole form). */
  readonly form: string | null;
}

/**
 * Spreads a failed request over the form's fields. `VALIDATION_FAILED` carries `details` with the
 * field's path and a phrase ("is required") that reads after the field's label; codes that are
 * about one field (PHONE_INVALID → phone) put the server's own sentence on it. Everything else is
 * a form-level message, so no server message is ever lost.
 */
export function formErrorsFrom<F extends string>(
  error: unknown,
  labels: Readonly<Record<F, string>>,
  fieldOfCode: Readonly<Partial<Record<string, F>>> = {},
): FormErrors<F> {
  if (!(error instanceof ApiError)) return { fields: {}, form: messageOf(error) };
  const fieldForCode = fieldOfCode[error.code];
  if (fieldForCode) return { fields: { [fieldForCode]: error.message } as Partial<Record<F, string>>, form: null };
  const fields: Partial<Record<F, string>> = {};
  let unmatched = false;
  for (const detail of error.details) {
    const field = detail.path.split('.')[0] as F;
    if (field in labels) {
      fields[field] ??= /^[A-Z]/.test(detail.message) ? detail.message : `${labels[field]} ${detail.message}.`;
    } else {
      unmatched = true;
    }
  }
  const matchedAny = Object.keys(fields).length > 0;
  return { fields, form: !matchedAny || unmatched ? error.message : null };
}

/** True for a field map with at least one message. */
export function hasFieldErrors(fields: Readonly<Record<string, string | undefined>>): boolean {
  return Object.values(fields).some(Boolean);
}
