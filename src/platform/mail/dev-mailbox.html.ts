import { escapeHtml, renderPlainPage } from '../http/html.js';
import type { DevMail } from './dev-mail.repository.js';

/**
 * The dev mailbox's pages. Developers only, never customers, so the title is neutral and nothing
 * names the product. Every value from a message is escaped: mail content is untrusted input,
 * even in development (a contact's name can hold anything).
 */
export const DEV_MAIL_BASE = '/_dev/mail';

const STYLES = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  header, main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem; }
  header { border-bottom: 1px solid color-mix(in srgb, CanvasText 15%, transparent); }
  h1 { font-size: 1.25rem; margin: 0; }
  h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
  p.note, .muted { opacity: .7; font-size: .875rem; }
  p.note { margin: .25rem 0 0; }
  a { color: LinkText; }
  table.list { width: 100%; border-collapse: collapse; font-size: .9rem; }
  table.list th, table.list td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid color-mix(in srgb, CanvasText 12%, transparent); vertical-align: top; }
  table.list th { font-weight: 600; font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; opacity: .7; }
  table.list td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
  table.list td.subject a { font-weight: 600; text-decoration: none; }
  table.list td.subject a:hover { text-decoration: underline; }
  dl.headers { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; font-size: .9rem; }
  dl.headers dt { font-weight: 600; }
  dl.headers dd { margin: 0; overflow-wrap: anywhere; }
  pre.text { white-space: pre-wrap; overflow-wrap: anywhere; padding: 1rem; border-radius: .5rem; font-size: .875rem; line-height: 1.5;
    background: color-mix(in srgb, CanvasText 6%, Canvas); }
  iframe.html { display: block; width: 100%; height: 70vh; min-height: 28rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent);
    border-radius: .5rem; background: #fff; }
  @media (max-width: 40rem) {
    table.list thead { display: none; }
    table.list tr { display: block; padding: .6rem 0; border-bottom: 1px solid color-mix(in srgb, CanvasText 12%, transparent); }
    table.list td { display: block; border: 0; padding: .1rem .25rem; }
    dl.headers { grid-template-columns: 1fr; }
    dl.headers dd { margin-bottom: .4rem; }
  }
`;

function page(title: string, styleNonce: string, body: string): string {
  return renderPlainPage({ title, styleNonce, styles: STYLES, body });
}

/** The list of stored messages, newest first. */
export function renderDevMailList(messages: readonly DevMail[], styleNonce: string): string {
  const rows = messages
    .map(
      (m) => `<tr>
<td class="time"><time datetime="${m.createdAt.toISOString()}">${formatTime(m.createdAt)}</time></td>
<td>${escapeHtml(m.to)}</td>
<td>${formatAddress(m.from)}</td>
<td class="subject"><a href="${DEV_MAIL_BASE}/${escapeHtml(m.id)}">${escapeHtml(m.subject)}</a></td>
</tr>`,
    )
    .join('\n');
  const list =
    messages.length === 0
      ? '<p class="muted">No messages yet. Mail the application sends shows up here.</p>'
      : `<table class="list">
<thead><tr><th scope="col">Time</th><th scope="col">To</th><th scope="col">From</th><th scope="col">Subject</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  const count = `${messages.length} message${messages.length === 1 ? '' : 's'}`;
  return page(
    'Dev mailbox',
    styleNonce,
    `<header>
<h1>Dev mailbox</h1>
<p class="note">${count}, newest first. No SMTP relay is configured, so outgoing mail is kept here instead of being sent. JSON: <a href="${DEV_MAIL_BASE}/api/messages">${DEV_MAIL_BASE}/api/messages</a>; clear with <code>DELETE ${DEV_MAIL_BASE}/api/messages</code>.</p>
</header>
<main>
${list}
</main>`,
  );
}

/** One message: its headers, the HTML part in a sandboxed frame, the text part with its links made clickable. */
export function renderDevMailMessage(mail: DevMail, styleNonce: string): string {
  const fields: [string, string][] = [
    ['Date', `<time datetime="${mail.createdAt.toISOString()}">${formatTime(mail.createdAt)}</time>`],
    ['From', formatAddress(mail.from)],
    ['To', escapeHtml(mail.to)],
    ...(mail.replyTo ? ([['Reply-To', escapeHtml(mail.replyTo)]] as [string, string][]) : []),
    ['Subject', escapeHtml(mail.subject)],
    ...Object.entries(mail.headers).map(([name, value]): [string, string] => [escapeHtml(name), escapeHtml(value)]),
  ];
  const headers = fields.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('\n');
  const htmlUrl = `${DEV_MAIL_BASE}/${escapeHtml(mail.id)}/html`;
  return page(
    `${mail.subject} · Dev mailbox`,
    styleNonce,
    `<header>
<p class="note"><a href="${DEV_MAIL_BASE}">← All messages</a></p>
<h1>${escapeHtml(mail.subject)}</h1>
</header>
<main>
<dl class="headers">
${headers}
</dl>
<h2>HTML part</h2>
<p class="muted"><a href="${htmlUrl}" target="_blank" rel="noopener noreferrer">Open on its own</a></p>
<iframe class="html" src="${htmlUrl}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="HTML part of the message"></iframe>
<h2>Plain-text part</h2>
<pre class="text">${linkifyText(mail.text)}</pre>
</main>`,
  );
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Sentence punctuation right after a URL is rarely part of it ("see https://x.example/a.").
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

/**
 * Escapes plain text for HTML and turns its http(s) URLs into links. The text is cut at each URL
 * and every piece is escaped on its own, so nothing from the message is ever interpreted as
 * markup; only URLs the URL parser accepts as http(s) become links.
 */
export function linkifyText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const start = match.index;
    const candidate = match[0].replace(TRAILING_PUNCTUATION, '');
    const end = start + candidate.length;
    if (!isHttpUrl(candidate)) continue;
    out += escapeHtml(text.slice(last, start));
    out += `<a href="${escapeHtml(candidate)}" target="_blank" rel="noopener noreferrer">${escapeHtml(candidate)}</a>`;
    last = end;
  }
  return out + escapeHtml(text.slice(last));
}

/**
 * The HTML part as served to its frame: links open outside the frame (the frame's sandbox allows
 * popups only), so a magic link can be followed from here.
 */
export function withLinksInNewTab(html: string): string {
  const base = '<base target="_blank">';
  const head = /<head(\s[^>]*)?>/i.exec(html);
  // After <head>, or else after the doctype: anything before the doctype puts the page in quirks mode.
  const anchor = head ?? /^\s*<!doctype[^>]*>/i.exec(html);
  if (!anchor) return `${base}${html}`;
  const at = anchor.index + anchor[0].length;
  return `${html.slice(0, at)}${base}${html.slice(at)}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function formatAddress(from: DevMail['from']): string {
  return from.name ? `${escapeHtml(from.name)} <span class="muted">&lt;${escapeHtml(from.address)}&gt;</span>` : escapeHtml(from.address);
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
