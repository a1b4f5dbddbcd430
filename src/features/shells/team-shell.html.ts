import { escapeHtml } from '../../platform/http/html.js';

/**
 * The HTML document of every team-app page (`/app/…`). One team app serves every organisation,
 * and which one is open is a matter of the session, so the document has neutral product branding
 * and nothing personal (the app asks `GET /api/team/me` who is signed in). It embeds only how the
 * open organisation writes dates and money — its time zone, locale and currency — because the
 * team works on the organisation's clocks (a visit at 9:00 is 9:00 where the business is) and no
 * team API names the zone for every role. The frame below shows until the app mounts.
 */
export interface TeamShellOptions {
  /** The signed-in session's organisation, or null when nobody is signed in. */
  readonly organisation: TeamAppOrganisation | null;
  /** The response's CSP nonces (`reply.cspNonce`); inline blocks without them would be refused. */
  readonly nonce: { readonly script: string; readonly style: string };
  readonly assets: { readonly scripts: readonly string[]; readonly preloads?: readonly string[]; readonly styles: readonly string[] };
}

export const PRODUCT_NAME = 'Servelo';

/** What `src/web/team/team-bootstrap.ts` reads. */
export interface TeamAppOrganisation {
  readonly tenantId: string;
  readonly timeZone: string;
  readonly locale: string;
  readonly currency: string;
}

export const TEAM_BOOTSTRAP_ID = 'team-bootstrap';

/** The product's own colour in the tab icon (the team app is never branded per tenant). */
const ICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="4" fill="#2b4fd6"/></svg>',
  );

export function renderTeamShell(options: TeamShellOptions): string {
  const { nonce, assets, organisation } = options;
  const scriptNonce = escapeHtml(nonce.script);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Staff pages are for signed-in people only: nothing here belongs in a search engine.
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${PRODUCT_NAME}</title>`,
    `<link rel="icon" href="${ICON}">`,
    ...assets.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`),
    ...(assets.preloads ?? []).map((href) => `<link rel="modulepreload" href="${escapeHtml(href)}">`),
  ];
  const body = [
    `<div id="root">${FRAME}</div>`,
    `<script type="application/json" id="${TEAM_BOOTSTRAP_ID}" nonce="${scriptNonce}">${toScriptJson({ organisation })}</script>`,
    ...assets.scripts.map((src) => `<script type="module" nonce="${scriptNonce}" src="${escapeHtml(src)}"></script>`),
  ];
  return `<!doctype html>\n<html lang="en">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/**
 * Keep in step with `src/web/team/app-loading.tsx` (same classes): the app replaces this with the
 * same placeholder while it asks who is signed in, so nothing moves.
 */
const FRAME =
  '<div class="boot" aria-busy="true">' +
  `<p class="boot__brand">${PRODUCT_NAME}</p>` +
  '<p class="boot__text">Loading…</p>' +
  '<noscript><p class="boot__text">The Servelo team app needs JavaScript. Please turn it on and reload this page.</p></noscript>' +
  '</div>';

/** JSON safe inside a `<script>` element (see portal-shell.html.ts). */
function toScriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
