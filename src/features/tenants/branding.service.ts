import sharp from 'sharp';
import { AppError } from '../../platform/errors.js';
import type { TPortalInfo } from './tenant.schemas.js';
import type { Tenant } from './tenant.service.js';
import type { EmailBrand } from '../../platform/mail/email-layout.js';

/**
 * A tenant's look in its portal: the accent colour with a readable text colour on top of it,
 * the public portal settings, and a generated placeholder logo for tenants that have none.
 */

export type TextColor = '#000000' | '#ffffff';

const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** True when `value` is a `#rgb` or `#rrggbb` colour; anything else must never reach HTML, CSS or SVG. */
export function isHexColor(value: string): boolean {
  return HEX_COLOR.test(value);
}

/**
 * Normalises a colour to lowercase `#rrggbb`.
 * @throws VALIDATION_FAILED when the value is not a hex colour
 */
export function normalizeHexColor(value: string): string {
  const match = HEX_COLOR.exec(value.trim());
  if (!match?.[1]) throw new AppError('VALIDATION_FAILED', `"${value}" is not a colour like #1d4ed8.`);
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join('') : match[1];
  return `#${digits.toLowerCase()}`;
}

/** WCAG 2.x relative luminance: sRGB channels linearised, then weighted by the eye's sensitivity. */
function relativeLuminance(hex: string): number {
  const digits = normalizeHexColor(hex).slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(digits.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The WCAG 2.x contrast ratio of two colours, from 1 (identical) to 21 (black on white).
 * @throws VALIDATION_FAILED when either value is not a hex colour
 */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Picks black or white text for the accent background, whichever contrasts more (white on a tie).
 * @throws VALIDATION_FAILED when the accent is not a hex colour
 */
export function pickTextColor(accentHex: string): TextColor {
  return contrastRatio(accentHex, '#000000') > contrastRatio(accentHex, '#ffffff') ? '#000000' : '#ffffff';
}

/**
 * The public branding and settings of a tenant's portal, as served by `GET B/api/portal`.
 * @throws VALIDATION_FAILED when the stored accent colour is not a hex colour
 */
/** How the organisation's emails look: its name, its logo (served by its portal) and its accent colour. */
export function emailBrandOf(tenant: Tenant, portalUrl: string): EmailBrand {
  return {
    name: tenant.name,
    logoUrl: tenant.logoKey ? `${portalUrl}/logo` : null,
    accentColor: tenant.accentColor,
    accentTextColor: pickTextColor(tenant.accentColor),
  };
}

export function toPortalInfo(tenant: Tenant, basePath: string): TPortalInfo {
  const accentColor = normalizeHexColor(tenant.accentColor);
  return {
    name: tenant.name,
    slug: tenant.slug,
    accentColor,
    accentTextColor: pickTextColor(accentColor),
    logoUrl: tenant.logoKey ? `${basePath}/logo` : null,
    submissionsEnabled: tenant.portal.submissionsEnabled,
    currency: tenant.currency,
    locale: tenant.locale,
  };
}

/**
 * Glyphs for generated logos, drawn on a 256×256 canvas. Paths only, never text: the server may
 * have no fonts, and a monogram would look broken for names in scripts we cannot render.
 * Details (the wrench's jaw, the house's door) are carved out by painting the background colour.
 */
interface Glyph {
  readonly name: string;
  /** Words in a business name that make this glyph the obvious choice. */
  readonly hints: RegExp;
  readonly shapes: (fg: string, bg: string) => string;
}

const GLYPHS: readonly Glyph[] = [
  {
    name: 'droplet',
    hints: /plumb|water|drain|pipe|heat|boiler|pool|leak/,
    shapes: (fg, bg) =>
      `<path fill="${fg}" d="M128 44C128 44 70 112 70 156a58 58 0 0 0 116 0C186 112 128 44 128 44Z"/>` +
      `<path fill="none" stroke="${bg}" stroke-width="10" stroke-linecap="round" d="M100 160a30 30 0 0 0 26 28"/>`,
  },
  {
    name: 'wrench',
    hints: /repair|fix|mechanic|garage|auto|tool|service|maint/,
    shapes: (fg, bg) =>
      `<g transform="rotate(45 128 128)">` +
      `<rect fill="${fg}" x="112" y="96" width="32" height="124" rx="16"/>` +
      `<circle fill="${fg}" cx="128" cy="80" r="48"/>` +
      `<rect fill="${bg}" x="112" y="24" width="32" height="56" rx="6"/>` +
      `<circle fill="${bg}" cx="128" cy="198" r="7"/>` +
      `</g>`,
  },
  {
    name: 'house',
    hints: /home|house|roof|build|property|construct|handy|estate/,
    shapes: (fg, bg) =>
      `<path fill="${fg}" d="M128 48 212 120a10 10 0 0 1-6.5 17.6H196V204a8 8 0 0 1-8 8H68a8 8 0 0 1-8-8v-66.4H50.5A10 10 0 0 1 44 120Z"/>` +
      `<rect fill="${bg}" x="108" y="150" width="40" height="62" rx="6"/>`,
  },
  {
    name: 'bolt',
    hints: /electric|power|solar|energy|volt|light/,
    shapes: (fg) => `<path fill="${fg}" stroke="${fg}" stroke-width="8" stroke-linejoin="round" d="M146 40 70 142h52l-14 74 78-104h-52Z"/>`,
  },
  {
    name: 'sparkle',
    hints: /clean|maid|shine|polish|wash|sparkl/,
    shapes: (fg) =>
      `<path fill="${fg}" d="M112 48c6 40 20 54 60 60-40 6-54 20-60 60-6-40-20-54-60-60 40-6 54-20 60-60Z"/>` +
      `<path fill="${fg}" d="M178 136c3 20 10 27 30 30-20 3-27 10-30 30-3-20-10-27-30-30 20-3 27-10 30-30Z"/>`,
  },
];

/** FNV-1a: a stable, dependency-free way to pick the same glyph for the same name every time. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const ch of text) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A glyph that suits the business when its name says what it does, else a stable pick by name. */
function pickGlyph(name: string): Glyph {
  const normalized = name.trim().toLowerCase();
  return GLYPHS.find((g) => g.hints.test(normalized)) ?? GLYPHS[hashOf(normalized) % GLYPHS.length] ?? GLYPHS[0]!;
}

/** The SVG source of a generated logo; exported for tests and for a future logo picker. */
export function renderLogoSvg(name: string, accentHex: string): string {
  const accent = normalizeHexColor(accentHex);
  const foreground = pickTextColor(accent);
  const glyph = pickGlyph(name);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">` +
    `<rect width="256" height="256" rx="56" fill="${accent}"/>` +
    glyph.shapes(foreground, accent) +
    `</svg>`
  );
}

/**
 * Draws a simple geometric logo (a glyph chosen by the name, on the accent colour) as a 256×256 PNG.
 * @throws VALIDATION_FAILED when the accent is not a hex colour
 */
export async function generateLogoPng(name: string, accentHex: string): Promise<Buffer> {
  const svg = renderLogoSvg(name, accentHex);
  return sharp(Buffer.from(svg)).resize(256, 256).png({ compressionLevel: 9 }).toBuffer();
}
