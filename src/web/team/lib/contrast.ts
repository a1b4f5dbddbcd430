/**
 * WCAG 2.x contrast for the accent colour's live preview, the same rule the server applies when
 * it saves (team-settings: black or white text, whichever reads better; a warning under 4.5:1 for
 * text on the accent or under 3:1 for the accent on the portal's white page).
 */
export function isHexColor(value: string): boolean {
  return /^#[0-9a-fA-F]{6}$/.test(value.trim());
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const n = Number.parseInt(hex.trim().slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
}

export interface AccentCheck {
  readonly textColor: '#000000' | '#ffffff';
  readonly textContrast: number;
  readonly pageContrast: number;
  readonly isWarning: boolean;
}

export function checkAccent(accent: string): AccentCheck {
  const onBlack = contrastRatio(accent, '#000000');
  const onWhite = contrastRatio(accent, '#ffffff');
  const textColor = onWhite >= onBlack ? '#ffffff' : '#000000';
  const textContrast = Math.max(onBlack, onWhite);
  const pageContrast = onWhite;
  return { textColor, textContrast, pageContrast, isWarning: textContrast < 4.5 || pageContrast < 3 };
}
