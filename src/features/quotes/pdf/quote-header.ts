import { rgb, type PDFImage, type RGB } from 'pdf-lib';
import { contrastRatio, isHexColor } from '../../tenants/branding.service.js';
import type { QuotePdfInput } from '../quote-pdf.js';
import { formatDate, statusLabel } from './formatting.js';
import { CONTENT_WIDTH, MARGIN, MUTED, clampLines, lineHeight, wrapText, type PageFlow } from './page-flow.js';

const LOGO_MAX_HEIGHT = 48;
const LOGO_MAX_WIDTH = 150;
const FALLBACK_ACCENT = '#374151';

/**
 * The organisation's accent colour for text on white paper: a colour that is not a hex colour, or
 * too pale to read as large text (WCAG 3:1 against white), falls back to dark grey.
 */
export function accentFor(accentColour: string): RGB {
  const hex = isHexColor(accentColour.trim()) && contrastRatio(accentColour.trim(), '#ffffff') >= 3 ? accentColour.trim() : FALLBACK_ACCENT;
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join('') : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16) / 255) as [number, number, number];
  return rgb(r, g, b);
}

/** The logo scaled to at most 48 pt high (and 150 pt wide), keeping its proportions. */
function logoSize(logo: PDFImage): { width: number; height: number } {
  const scale = Math.min(LOGO_MAX_HEIGHT / logo.height, LOGO_MAX_WIDTH / logo.width, 1);
  return { width: logo.width * scale, height: logo.height * scale };
}

/**
 * The top of the first page: logo and organisation name in its accent colour on the left, the
 * quote number, version and status on the right, then the title, the client and the dates.
 */
export function drawQuoteHeader(flow: PageFlow, input: QuotePdfInput, logo: PDFImage | null, accent: RGB): void {
  const { organisation, quote } = input;
  const { regular, bold } = flow.fonts;
  const top = flow.y;

  const numberText = `Quote ${quote.number} · v${quote.version}`;
  const numberStyle = { font: bold, size: 13 };
  const rightWidth = Math.max(bold.widthOfTextAtSize(numberText, 13), 120);
  flow.drawLine(numberText, MARGIN + CONTENT_WIDTH, top, numberStyle, true);
  flow.drawLine(statusLabel(quote.status), MARGIN + CONTENT_WIDTH, top - 19, { font: bold, size: 10, color: accent }, true);

  let nameX = MARGIN;
  let headerHeight = 34;
  if (logo) {
    const size = logoSize(logo);
    flow.page.drawImage(logo, { x: MARGIN, y: top - size.height, width: size.width, height: size.height });
    nameX += size.width + 12;
    headerHeight = Math.max(headerHeight, size.height);
  }
  // A long name steps down in size before it is cut (with an ellipsis) at three lines.
  const nameWidth = MARGIN + CONTENT_WIDTH - rightWidth - 16 - nameX;
  const nameSize = [16, 14].find((size) => wrapText(organisation.name, { font: bold, size }, nameWidth).length <= 2) ?? 12;
  const nameStyle = { font: bold, size: nameSize, color: accent };
  const nameLines = clampLines(organisation.name, nameStyle, nameWidth, 3);
  const nameHeight = nameLines.length * lineHeight(nameSize);
  // Centred on the logo when there is one, else from the top.
  let nameTop = logo ? top - Math.max(0, (headerHeight - nameHeight) / 2) : top;
  for (const line of nameLines) {
    flow.drawLine(line, nameX, nameTop, nameStyle);
    nameTop -= lineHeight(nameSize);
  }
  headerHeight = Math.max(headerHeight, nameHeight);

  flow.y = top - headerHeight - 12;
  flow.rule(flow.y, accent, 2);
  flow.y -= 22;

  flow.paragraph(quote.title, { font: bold, size: 18 });
  flow.y -= 10;

  // Two columns: who the quote is for, and its dates and status.
  const columnTop = flow.y;
  const label = { font: regular, size: 8.5, color: MUTED };
  flow.drawLine('PREPARED FOR', MARGIN, columnTop, label);
  flow.y = columnTop - lineHeight(8.5) - 2;
  flow.paragraph(quote.clientName, { font: bold, size: 11 }, MARGIN, CONTENT_WIDTH / 2 - 20);
  const leftBottom = flow.y;

  const rows: [string, string][] = [
    ['Issue date', formatDate(quote.issuedAt, organisation.locale)],
    ['Valid until', quote.validUntil ? formatDate(quote.validUntil, organisation.locale) : 'No expiry date'],
    ['Status', statusLabel(quote.status)],
  ];
  const labelX = MARGIN + CONTENT_WIDTH / 2 + 20;
  const valueX = labelX + 80;
  let rowTop = columnTop;
  for (const [name, value] of rows) {
    flow.drawLine(name, labelX, rowTop, { font: regular, size: 9.5, color: MUTED });
    flow.drawLine(value, valueX, rowTop, { font: regular, size: 9.5 });
    rowTop -= lineHeight(9.5) + 2;
  }
  flow.y = Math.min(leftBottom, rowTop) - 18;
}
