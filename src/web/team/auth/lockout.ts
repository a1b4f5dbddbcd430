import type { ApiError } from '../../shared/api-client.js';

/**
 * The sentence for a locked account: the server's message with the clock time it ends at, which
 * reads better than a countdown someone has to keep in mind ("You can try again at 10:42").
 */
export function lockoutMessage(error: ApiError, now: Date = new Date(), locale?: string): string {
  if (error.retryAfterSeconds === undefined) return error.message;
  const until = new Date(now.getTime() + error.retryAfterSeconds * 1000);
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(until);
  return `Too many failed sign-in attempts. You can try again at ${time}, or reset your password.`;
}
