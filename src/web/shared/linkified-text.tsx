import type { ReactNode } from 'react';

/**
 * Plain text from customers, the team and email, shown as text. React escapes every string, and
 * the only elements built here are `<a>` for http(s) URLs — no HTML from the text is ever parsed
 * (no `dangerouslySetInnerHTML`). Line breaks are kept by CSS (`white-space: pre-wrap`).
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the URL ("see https://x.example/a."). */
const TRAILING_PUNCTUATION = /[.,;:!?…'"’”)\]}>]+$/;

/** Splits a URL from the sentence punctuation after it; a closing bracket stays when the URL opened one. */
function trimUrl(candidate: string): { url: string; rest: string } {
  let url = candidate;
  let rest = '';
  for (;;) {
    const match = TRAILING_PUNCTUATION.exec(url);
    if (!match) break;
    const tail = match[0];
    // Keep a `)` that closes a `(` inside the URL (Wikipedia-style links).
    const last = tail[tail.length - 1] ?? '';
    const opener = { ')': '(', ']': '[', '}': '{' }[last];
    if (opener && count(url, opener) >= count(url, last)) break;
    url = url.slice(0, -1);
    rest = last + rest;
  }
  return { url, rest };
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** An http(s) URL the browser itself parses; anything else (a stray `http://`) stays text. */
function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const { url, rest } = trimUrl(match[0]);
    const href = safeHref(url);
    if (!href) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={href} target="_blank" rel="noopener noreferrer" className="linkified">
        {url}
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>,
    );
    last = start + url.length;
    if (rest) {
      parts.push(rest);
      last += rest.length;
    }
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** A message body: escaped text, line breaks kept, links clickable. */
export function LinkifiedText({ text, className }: { text: string; className?: string }) {
  return <div className={className ?? 'linkified-text'}>{linkify(text)}</div>;
}
