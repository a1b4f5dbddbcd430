import { escapeHtml } from '../http/html.js';

/**
 * The one layout of every email we send on an organisation's behalf: its logo and name in a band
 * of its accent colour, the message, an optional button and code, footer lines. Table-based with
 * inline styles, because that is what mail clients (Outlook above all) render reliably; 560 px
 * wide at most, full width on phones. Nothing in it names the product: the mail is the
 * organisation's.
 */
export interface EmailBrand {
  readonly name: string;
  readonly logoUrl: string | null;
  /** `#rgb` or `#rrggbb`. */
  readonly accentColor: string;
  /** Text on the accent colour, `#rgb` or `#rrggbb`. */
  readonly accentTextColor: string;
}

export interface BrandedEmailInput {
  readonly brand: EmailBrand;
  /** The preview line inboxes show after the subject; hidden in the body. */
  readonly preheader: string;
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly button?: { readonly label: string; readonly url: string };
  readonly code?: { readonly label: string; readonly value: string };
  readonly footer: readonly string[];
}

const PAGE_BACKGROUND = '#f3f4f6';
const TEXT_COLOR = '#1f2937';
const MUTED_COLOR = '#6b7280';
const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";

/** Renders the HTML and plain-text parts of a branded email; throws on a colour or URL it will not put in a message. */
export function renderBrandedEmail(input: BrandedEmailInput): { html: string; text: string } {
  const accent = requireColor(input.brand.accentColor, 'accentColor');
  const accentText = requireColor(input.brand.accentTextColor, 'accentTextColor');
  const logoUrl = input.brand.logoUrl === null ? null : requireHttpUrl(input.brand.logoUrl, 'logoUrl');
  const buttonUrl = input.button ? requireHttpUrl(input.button.url, 'button.url') : null;
  return {
    html: renderHtml(input, { accent, accentText, logoUrl, buttonUrl }),
    text: renderText(input, buttonUrl),
  };
}

interface Checked {
  readonly accent: string;
  readonly accentText: string;
  readonly logoUrl: string | null;
  readonly buttonUrl: string | null;
}

function renderHtml(input: BrandedEmailInput, checked: Checked): string {
  const { brand } = input;
  const { accent, accentText } = checked;
  const name = escapeHtml(brand.name);
  const logo = checked.logoUrl
    ? `<img src="${escapeHtml(checked.logoUrl)}" alt="${name}" height="40" style="display:block;height:40px;width:auto;max-width:200px;border:0;outline:none;margin:0 0 8px;">`
    : '';
  const paragraphs = input.paragraphs
    .map((p) => `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:${TEXT_COLOR};">${multiline(p)}</p>`)
    .join('\n');
  const button =
    input.button && checked.buttonUrl
      ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>
<td align="center" bgcolor="${accent}" style="border-radius:6px;background-color:${accent};">
<a href="${escapeHtml(checked.buttonUrl)}" target="_blank" style="display:inline-block;padding:12px 28px;border:1px solid ${accent};border-radius:6px;background-color:${accent};color:${accentText};font-family:${FONT};font-size:16px;font-weight:600;line-height:20px;text-decoration:none;">${escapeHtml(input.button.label)}</a>
</td></tr></table>`
      : '';
  const code = input.code
    ? `<p style="margin:0 0 8px;font-size:14px;line-height:20px;color:${MUTED_COLOR};">${escapeHtml(input.code.label)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 24px;"><tr>
<td style="padding:12px 20px;border:1px solid #d1d5db;border-radius:6px;background-color:#f9fafb;font-family:${MONO};font-size:22px;line-height:28px;letter-spacing:3px;color:${TEXT_COLOR};">${escapeHtml(input.code.value)}</td>
</tr></table>`
    : '';
  const footer = input.footer.map((line) => multiline(line)).join('<br>');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(input.heading)}</title>
<style>
  @media only screen and (max-width: 600px) {
    .email-container { width: 100% !important; }
    .email-pad { padding-left: 20px !important; padding-right: 20px !important; }
  }
</style>
</head>
<body style="margin:0;padding:0;background-color:${PAGE_BACKGROUND};">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;color:${PAGE_BACKGROUND};">${escapeHtml(input.preheader)}${'&#8203;&#160;'.repeat(40)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${PAGE_BACKGROUND};">
<tr><td align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" class="email-container" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;width:100%;font-family:${FONT};">
<tr><td class="email-pad" bgcolor="${accent}" style="padding:20px 32px;border-radius:8px 8px 0 0;background-color:${accent};color:${accentText};">
${logo}<div style="font-size:18px;line-height:24px;font-weight:600;color:${accentText};">${name}</div>
</td></tr>
<tr><td class="email-pad" bgcolor="#ffffff" style="padding:32px;background-color:#ffffff;border-radius:0 0 8px 8px;">
<h1 style="margin:0 0 16px;font-size:22px;line-height:28px;font-weight:700;color:${TEXT_COLOR};">${escapeHtml(input.heading)}</h1>
${paragraphs}
${button}
${code}
</td></tr>
<tr><td class="email-pad" style="padding:16px 32px;font-size:12px;line-height:18px;color:${MUTED_COLOR};">${footer}</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
`;
}

function renderText(input: BrandedEmailInput, buttonUrl: string | null): string {
  const blocks = [input.brand.name, input.heading, ...input.paragraphs];
  if (input.button && buttonUrl) blocks.push(`${input.button.label}: ${buttonUrl}`);
  if (input.code) blocks.push(`${input.code.label}:\n${input.code.value}`);
  if (input.footer.length > 0) blocks.push(`--\n${input.footer.join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
}

/** Escaped text whose line breaks survive as `<br>`. */
function multiline(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>');
}

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

// A colour lands inside style attributes, where escaping alone would still let `red;background:url(…)` through.
function requireColor(value: string, field: string): string {
  if (!HEX_COLOR.test(value)) throw new RangeError(`${field} must be a #rgb or #rrggbb colour`);
  return value;
}

// Only web links: `javascript:`, `data:` and friends have no business in a message.
function requireHttpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(`${field} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`${field} must be an http(s) URL`);
  return url.href;
}
