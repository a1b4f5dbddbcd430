import { escapeHtml } from '../../platform/http/html.js';
import type { TPortalInfo } from '../tenants/tenant.schemas.js';
import { isHexColor } from '../tenants/branding.service.js';

/**
 * The HTML document of every portal page. It is branded by the server (title, colours, logo,
 * header) so the page is right from the first byte, readable without JavaScript, and never shows
 * anyone's brand but the tenant's. The web app (src/web/portal) then mounts into `#root` with
 * the same markup, using the bootstrap JSON embedded here instead of a second request.
 */
export interface PortalShellOptions {
  readonly info: TPortalInfo;
  readonly basePath: string;
  /** The response's CSP nonces (`reply.cspNonce`); inline blocks without them would be refused. */
  readonly nonce: { readonly script: string; readonly style: string };
  readonly assets: { readonly scripts: readonly string[]; readonly preloads?: readonly string[]; readonly styles: readonly string[] };
}

/** What `src/web/portal/portal-bootstrap.ts` reads: the public portal info plus the base path. */
export type PortalBootstrapData = TPortalInfo & { readonly basePath: string };

export const PORTAL_BOOTSTRAP_ID = 'portal-bootstrap';

/** Renders the complete portal document for one tenant. Throws when a colour is not a hex colour. */
export function renderPortalShell(options: PortalShellOptions): string {
  const { info, basePath, nonce, assets } = options;
  // Colours go into CSS and an attribute unescaped by design, so they must be plain hex colours.
  const accent = requireHex(info.accentColor);
  const accentText = requireHex(info.accentTextColor);
  const bootstrap: PortalBootstrapData = { ...info, basePath };
  const styleNonce = escapeHtml(nonce.style);
  const scriptNonce = escapeHtml(nonce.script);

  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">',
    `<title>${escapeHtml(info.name)}</title>`,
    `<meta name="theme-color" content="${accent}">`,
    `<link rel="icon" href="${escapeHtml(info.logoUrl ?? fallbackIcon(accent))}">`,
    ...assets.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`),
    ...(assets.preloads ?? []).map((href) => `<link rel="modulepreload" href="${escapeHtml(href)}">`),
    // After the stylesheets, so the tenant's colours win over anything the bundle defines.
    `<style nonce="${styleNonce}">:root{--accent:${accent};--accent-text:${accentText}}</style>`,
  ];
  const body = [
    `<div id="root">${renderPortalFrame(info, basePath)}</div>`,
    `<script type="application/json" id="${PORTAL_BOOTSTRAP_ID}" nonce="${scriptNonce}">${toScriptJson(bootstrap)}</script>`,
    ...assets.scripts.map((src) => `<script type="module" nonce="${scriptNonce}" src="${escapeHtml(src)}"></script>`),
  ];
  return `<!doctype html>\n<html lang="en">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/**
 * The server-rendered page frame. Keep in step with `src/web/portal/layout/portal-layout.tsx`: the same
 * classes and structure mean nothing moves when React replaces it.
 */
function renderPortalFrame(info: TPortalInfo, basePath: string): string {
  const name = escapeHtml(info.name);
  const logo = info.logoUrl
    ? `<img class="portal-brand__logo" src="${escapeHtml(info.logoUrl)}" alt="" width="44" height="44" decoding="async">`
    : '';
  return (
    '<div class="portal">' +
    '<header class="portal-header"><div class="portal-header__inner">' +
    `<a class="portal-brand" href="${escapeHtml(`${basePath}/`)}">${logo}<span class="portal-brand__name">${name}</span></a>` +
    '</div></header>' +
    '<main class="portal-main" id="main">' +
    '<section class="portal-card" aria-labelledby="portal-welcome-title">' +
    `<div class="portal-card__icon" aria-hidden="true">${INBOX_ICON}</div>` +
    '<h1 id="portal-welcome-title" class="portal-card__title">Sign in to see your tickets</h1>' +
    `<p class="portal-card__text">Your requests with ${name} will appear here.</p>` +
    '</section>' +
    '</main>' +
    `<footer class="portal-footer"><p class="portal-footer__name">${name}</p></footer>` +
    '</div>'
  );
}

const INBOX_ICON =
  '<svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">' +
  '<path d="M22 12h-6l-2 3h-4l-2-3H2"/>' +
  '<path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z"/>' +
  '</svg>';

/**
 * Without a logo, an accent-coloured square as the tab icon; it also stops browsers from asking
 * for `/favicon.ico`, which is not the tenant's.
 */
function fallbackIcon(accent: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="4" fill="${accent}"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function requireHex(color: string): string {
  if (!isHexColor(color)) throw new Error(`Refusing to render a colour that is not hex: ${JSON.stringify(color)}`);
  return color.toLowerCase();
}

/**
 * JSON safe inside a `<script>` element: `<` becomes `\u003c` so no `</script>` or `<!--` can end
 * or confuse it; U+2028/2029 are escaped too for any consumer that still treats them as newlines.
 */
function toScriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
