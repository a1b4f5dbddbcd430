import { escapeHtml } from '../../platform/http/html.js';

/**
 * The HTML document of every operator-console page (`/operator/…`). The console is the
 * installation's own tool, never shown to customers: its title is the product's. Nothing personal
 * is embedded; the console asks `GET /api/operator/me` who is signed in.
 */
export interface OperatorShellOptions {
  readonly nonce: { readonly script: string; readonly style: string };
  readonly assets: { readonly scripts: readonly string[]; readonly preloads?: readonly string[]; readonly styles: readonly string[] };
}

const ICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="4" fill="#1f2937"/></svg>',
  );

/** Keep in step with `src/web/operator/operator-app.tsx`'s loading frame (the team app's classes). */
const FRAME =
  '<div class="boot" aria-busy="true">' +
  '<p class="boot__brand">Servelo operator console</p>' +
  '<p class="boot__text">Loading…</p>' +
  '<noscript><p class="boot__text">The operator console needs JavaScript. Please turn it on and reload this page.</p></noscript>' +
  '</div>';

export function renderOperatorShell(options: OperatorShellOptions): string {
  const { nonce, assets } = options;
  const scriptNonce = escapeHtml(nonce.script);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    '<title>Servelo operator console</title>',
    `<link rel="icon" href="${ICON}">`,
    ...assets.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`),
    ...(assets.preloads ?? []).map((href) => `<link rel="modulepreload" href="${escapeHtml(href)}">`),
  ];
  const body = [
    `<div id="root">${FRAME}</div>`,
    ...assets.scripts.map((src) => `<script type="module" nonce="${scriptNonce}" src="${escapeHtml(src)}"></script>`),
  ];
  return `<!doctype html>\n<html lang="en">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}
