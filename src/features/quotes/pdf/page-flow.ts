import { rgb, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/** A4 in points, with ~40 pt margins; the footer sits in the bottom margin. */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const MARGIN = 40;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
export const CONTENT_TOP = PAGE_HEIGHT - MARGIN;
/** Content stops here; below it: the footer rule and "Page x of y". */
export const CONTENT_BOTTOM = MARGIN + 22;

export const INK = rgb(0.12, 0.14, 0.18);
export const MUTED = rgb(0.39, 0.42, 0.47);
export const RULE = rgb(0.86, 0.87, 0.89);
export const SHADE = rgb(0.95, 0.96, 0.97);

export interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
}

export interface TextStyle {
  readonly font: PDFFont;
  readonly size: number;
  readonly color?: RGB;
}

/**
 * Control and format characters (other than line breaks, which split paragraphs) would be drawn
 * as missing glyphs; tabs become spaces.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\v\f]/g, ' ')
    .replace(/(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/gu, '');
}

/**
 * Splits text into lines no wider than `maxWidth`: at spaces where it can, inside a word (a URL,
 * a user agent, a hash) where it must. Each `\n` starts a new line; an empty paragraph is an empty line.
 */
export function wrapText(text: string, style: TextStyle, maxWidth: number): string[] {
  const width = (s: string): number => style.font.widthOfTextAtSize(s, style.size);
  const lines: string[] = [];
  for (const paragraph of cleanText(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/).filter((w) => w !== '')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (width(candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      line = '';
      // A word wider than the column is cut by characters (code points, so no surrogate is split).
      let rest = word;
      while (width(rest) > maxWidth) {
        const chars = [...rest];
        let take = 1;
        while (take < chars.length && width(chars.slice(0, take + 1).join('')) <= maxWidth) take += 1;
        lines.push(chars.slice(0, take).join(''));
        rest = chars.slice(take).join('');
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** At most `maxLines` wrapped lines; when the text needs more, the last one ends with an ellipsis. */
export function clampLines(text: string, style: TextStyle, maxWidth: number, maxLines: number): string[] {
  const lines = wrapText(text, style, maxWidth);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = [...`${kept[maxLines - 1] ?? ''} `];
  while (last.length > 0 && style.font.widthOfTextAtSize(`${last.join('').trimEnd()}…`, style.size) > maxWidth) last = last.slice(0, -1);
  kept[maxLines - 1] = `${last.join('').trimEnd()}…`;
  return kept;
}

/** The line height used for a font size: 1.3 × the size. */
export function lineHeight(size: number): number {
  return Math.round(size * 1.3 * 100) / 100;
}

/**
 * The page being written and the cursor on it, top-down. `y` is the top of the next thing to
 * draw; drawing helpers take the top of a line and place the baseline under it.
 */
export class PageFlow {
  page: PDFPage;
  y = CONTENT_TOP;
  /** Called after a page break (the lines table repeats its header there). */
  onNewPage: ((flow: PageFlow) => void) | undefined;

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  }

  /** Room left above the footer. */
  get room(): number {
    return this.y - CONTENT_BOTTOM;
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.y = CONTENT_TOP;
    this.onNewPage?.(this);
  }

  /** Breaks the page unless `height` fits (a block taller than a page starts a page and overflows by design). */
  ensure(height: number): void {
    if (height > this.room && this.y < CONTENT_TOP) this.newPage();
  }

  /** Draws one line with its top at `top`, left-aligned at `x`, or right-aligned so it ends at `x` when `alignRight`. */
  drawLine(text: string, x: number, top: number, style: TextStyle, alignRight = false): void {
    const ascent = style.font.heightAtSize(style.size, { descender: false });
    const left = alignRight ? x - style.font.widthOfTextAtSize(text, style.size) : x;
    this.page.drawText(text, { x: left, y: top - ascent, size: style.size, font: style.font, color: style.color ?? INK });
  }

  /** Writes wrapped text at the cursor, breaking pages between lines. */
  paragraph(text: string, style: TextStyle, x = MARGIN, maxWidth = CONTENT_WIDTH): void {
    const height = lineHeight(style.size);
    for (const line of wrapText(text, style, maxWidth)) {
      this.ensure(height);
      this.drawLine(line, x, this.y, style);
      this.y -= height;
    }
  }

  rule(y: number, color: RGB = RULE, thickness = 0.75, x = MARGIN, width = CONTENT_WIDTH): void {
    this.page.drawLine({ start: { x, y }, end: { x: x + width, y }, thickness, color });
  }
}
