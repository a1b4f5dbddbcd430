import { escapeHtml } from '../../platform/http/html.js';
import type { TPortalInfo } from '../tenants/tenant.schemas.js';

/** Which page: the question with its button, the answer after it, or a link that is not valid. */
export type UnsubscribePageState = 'confirm' | 'done' | 'already-off' | 'invalid';

export interface UnsubscribePageOptions {
  readonly info: TPortalInfo;
  readonly basePath: string;
  readonly state: UnsubscribePageState;
  /** The address the button posts to (the link itself, token included); only for `confirm`. */
  readonly action?: string;
  /** `reply.cspNonce.style`: the page's only style block carries it. */
  readonly styleNonce: string;
}

const TEXT: Record<UnsubscribePageState, { title: string; body: (name: string) => string }> = {
  confirm: {
    title: 'Stop emails about your requests?',
    body: (name) =>
      `You will no longer get emails from ${name} when the status of a request changes, a visit is booked or moved, or a new request is received. Replies from ${name}, quotes and sign-in emails still come.`,
  },
  done: {
    title: 'You will no longer get these emails',
    body: (name) =>
      `Emails about status changes and visits are off. Replies from ${name}, quotes and sign-in emails still come. You can turn updates back on in your profile in the portal.`,
  },
  'already-off': {
    title: 'These emails are already off',
    body: (name) =>
      `You do not get emails about status changes and visits from ${name}. You can turn them back on in your profile in the portal.`,
  },
  invalid: {
    title: 'This link is not valid',
    body: () => 'Please use the link from a recent email, or turn emails off in your profile in the portal.',
  },
};

/**
 * The server-rendered unsubscribe page (no JavaScript; a plain form POST is the one click), in the
 * organisation's name and colours like the portal, never ours. It names no email address: whoever
 * holds the link may not be its owner.
 */
export function renderUnsubscribePage(options: UnsubscribePageOptions): string {
  const { info, basePath, state } = options;
  const name = escapeHtml(info.name);
  const text = TEXT[state];
  const accent = hex(info.accentColor);
  const accentText = hex(info.accentTextColor);
  const logo = info.logoUrl ? `<img class="brand__logo" src="${escapeHtml(info.logoUrl)}" alt="" width="40" height="40">` : '';
  const form =
    state === 'confirm' && options.action
      ? `<form method="post" action="${escapeHtml(options.action)}">` +
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
        '<button type="submit" class="button">Stop these emails</button>' +
        '</form>'
      : `<p><a class="link" href="${escapeHtml(`${basePath}/profile`)}">Go to your profile</a></p>`;
  const style = [
    `:root{--accent:${accent};--accent-text:${accentText}}`,
    '*{box-sizing:border-box}',
    "body{margin:0;background:#f3f4f6;color:#1f2937;font:16px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}",
    'header{background:var(--accent);color:var(--accent-text)}',
    '.header__inner{max-width:40rem;margin:0 auto;padding:.75rem 1rem;display:flex;gap:.75rem;align-items:center;font-weight:600;font-size:1.125rem}',
    '.brand__logo{border-radius:.5rem;background:#fff}',
    'main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem}',
    '.card{background:#fff;border-radius:.75rem;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}',
    'h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}',
    'p{margin:0 0 1rem}',
    '.button{font:inherit;font-weight:600;min-height:2.75rem;padding:.625rem 1.25rem;border:0;border-radius:.5rem;background:var(--accent);color:var(--accent-text);cursor:pointer}',
    '.button:focus-visible,.link:focus-visible{outline:3px solid #1f2937;outline-offset:2px}',
    '.link{color:#1d4ed8}',
    'footer{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;color:#4b5563;font-size:.875rem}',
  ].join('');
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="robots" content="noindex">\n' +
    `<title>${escapeHtml(text.title)} · ${name}</title>\n` +
    `<style nonce="${escapeHtml(options.styleNonce)}">${style}</style>\n</head>\n<body>\n` +
    `<header><div class="header__inner">${logo}<span>${name}</span></div></header>\n` +
    `<main id="main"><section class="card" aria-labelledby="unsubscribe-title">` +
    `<h1 id="unsubscribe-title">${escapeHtml(text.title)}</h1>` +
    `<p>${escapeHtml(text.body(info.name))}</p>${form}</section></main>\n` +
    `<footer><p>${name}</p></footer>\n</body>\n</html>\n`
  );
}

/** Colours go into CSS unescaped, so only `#rgb`/`#rrggbb` pass. */
function hex(color: string): string {
  if (!/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color))
    throw new Error(`Refusing to render a colour that is not hex: ${JSON.stringify(color)}`);
  return color.toLowerCase();
}
