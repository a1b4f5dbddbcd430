/**
 * Client-side checks mirroring the server's (portal-ticket.schemas.ts), so most mistakes are
 * caught before a request. The server stays the judge: its answers are mapped onto the same
 * fields. Hand-written rather than zod in the browser, which would add more to the bundle than
 * every page of the portal together.
 */
export const TITLE_MAX = 200;
export const MESSAGE_MAX = 20_000;

/** A problem with a ticket title, or null (trimmed, 1–200 characters). */
export function titleProblem(title: string): string | null {
  const trimmed = title.trim();
  if (trimmed === '') return 'Enter a short title for your request.';
  if (trimmed.length > TITLE_MAX) return `Keep the title to ${TITLE_MAX} characters or fewer (it has ${trimmed.length.toLocaleString()}).`;
  return null;
}

/** A problem with a message (description, reply, closing message), or null: not blank, at most 20,000 characters. */
export function messageProblem(text: string, whenEmpty: string): string | null {
  if (text.trim() === '') return whenEmpty;
  if (text.length > MESSAGE_MAX)
    return `Keep the message to ${MESSAGE_MAX.toLocaleString()} characters or fewer (it has ${text.length.toLocaleString()}).`;
  return null;
}
