/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * A whole, unindexed HTML page of our own (not a tenant's): its styles inline, carrying the
 * response's CSP style nonce.
 */
export function renderPlainPage(options: { title: string; styleNonce: string; styles: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(options.title)}</title>
<style nonce="${escapeHtml(options.styleNonce)}">${options.styles}</style>
</head>
<body>
${options.body}
</body>
</html>
`;
}

/**
 * A neutral page for errors outside any tenant's branding: no product name, no tenant data
 * (SECURITY.md §7). Styles carry the CSP nonce of the response.
 */
const NEUTRAL_STYLES = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 32rem; padding: 2rem; text-align: center; }
  h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
  p { line-height: 1.5; margin: 0 0 1rem; }
  small { opacity: .7; }
`;

export function renderNeutralPage(options: { title: string; message: string; requestId: string; styleNonce: string }): string {
  const { title, message, requestId, styleNonce } = options;
  const body = `<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<small>Reference: ${escapeHtml(requestId)}</small>
</main>`;
  return renderPlainPage({ title, styleNonce, styles: NEUTRAL_STYLES, body });
}
