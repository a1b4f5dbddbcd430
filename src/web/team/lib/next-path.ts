/**
 * Where to go after signing in: a path inside the app, and nothing else. Validated as text, not
 * left to the router: `/\evil.test` and `/%5Cevil.test` are read by browsers as `//evil.test`
 * (another site), and control characters are stripped by URL parsers before they look.
 */
export function safeNextPath(next: string | null): string {
  if (!next || next.length > 2000) return '/';
  // One leading slash, then no backslash (raw or encoded), no second slash at the start, no control characters.
  if (!next.startsWith('/') || next.startsWith('//')) return '/';
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(next) || /%5c|%2f%2f|^\/%2f/i.test(next)) return '/';
  try {
    const base = 'https://app.invalid';
    const resolved = new URL(next, base);
    if (resolved.origin !== base) return '/';
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return '/';
  }
}
