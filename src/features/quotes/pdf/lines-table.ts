import type { QuotePdfInput } from '../quote-pdf.js';
import { formatDecimal, formatMoney } from './money.js';
import {
  CONTENT_BOTTOM,
  CONTENT_TOP,
  CONTENT_WIDTH,
  MARGIN,
  MUTED,
  SHADE,
  lineHeight,
  wrapText,
  type PageFlow,
  type TextStyle,
} from './page-flow.js';

type Line = QuotePdfInput['quote']['lines'][number];

const NUMBER_WIDTHS = { quantity: 52, unitPrice: 88, tax: 50, total: 92 };
const DESCRIPTION_WIDTH = CONTENT_WIDTH - Object.values(NUMBER_WIDTHS).reduce((a, b) => a + b, 0);
const PAD_X = 6;
const PAD_Y = 5;
const SIZE = 9.5;
const HEADER_HEIGHT = 20;
/** The height a row can have on a page of its own, under the repeated header. */
const PAGE_CAPACITY = CONTENT_TOP - CONTENT_BOTTOM - HEADER_HEIGHT;

/** Right edges of the number columns, left to right. */
const RIGHT_EDGES = (() => {
  let x = MARGIN + DESCRIPTION_WIDTH;
  return Object.values(NUMBER_WIDTHS).map((width) => (x += width) - PAD_X);
})();

function drawTableHeader(flow: PageFlow): void {
  const top = flow.y;
  flow.page.drawRectangle({ x: MARGIN, y: top - HEADER_HEIGHT, width: CONTENT_WIDTH, height: HEADER_HEIGHT, color: SHADE });
  const style: TextStyle = { font: flow.fonts.bold, size: 8.5, color: MUTED };
  const textTop = top - (HEADER_HEIGHT - lineHeight(8.5)) / 2 - 1;
  flow.drawLine('Description', MARGIN + PAD_X, textTop, style);
  ['Qty', 'Unit price', 'Tax', 'Amount'].forEach((title, i) => flow.drawLine(title, RIGHT_EDGES[i]!, textTop, style, true));
  flow.y = top - HEADER_HEIGHT;
}

function drawNumbers(flow: PageFlow, line: Line, currency: string, locale: string, top: number): void {
  const style: TextStyle = { font: flow.fonts.regular, size: SIZE };
  const cells = [
    formatDecimal(line.quantity, locale),
    formatMoney(line.unitPriceMinor, currency, locale),
    line.taxRatePercent === null ? '—' : `${formatDecimal(line.taxRatePercent, locale)}%`,
    formatMoney(line.lineTotalMinor, currency, locale),
  ];
  cells.forEach((text, i) => flow.drawLine(text, RIGHT_EDGES[i]!, top, style, true));
}

/**
 * The table of lines. A row that does not fit moves to the next page whole, under a repeated
 * header; a description longer than a page is split across pages (its numbers stay on its first).
 */
export function drawLinesTable(flow: PageFlow, input: QuotePdfInput): void {
  const { quote, organisation } = input;
  const style: TextStyle = { font: flow.fonts.regular, size: SIZE };
  const height = lineHeight(SIZE);

  // The header and at least one row start together.
  flow.ensure(HEADER_HEIGHT + height + 2 * PAD_Y);
  drawTableHeader(flow);
  flow.onNewPage = drawTableHeader;

  for (const line of quote.lines) {
    const textLines = wrapText(line.description, style, DESCRIPTION_WIDTH - 2 * PAD_X);
    const rowHeight = textLines.length * height + 2 * PAD_Y;
    // A row that fits on a page moves whole; a longer one starts here and continues.
    if (rowHeight <= PAGE_CAPACITY) flow.ensure(rowHeight);
    let first = true;
    let remaining = textLines;
    while (remaining.length > 0) {
      if (flow.room < height + 2 * PAD_Y) flow.newPage();
      const fit = Math.max(1, Math.floor((flow.room - 2 * PAD_Y) / height));
      const chunk = remaining.slice(0, fit);
      remaining = remaining.slice(fit);
      const top = flow.y - PAD_Y;
      chunk.forEach((text, i) => flow.drawLine(text, MARGIN + PAD_X, top - i * height, style));
      if (first) drawNumbers(flow, line, quote.currency, organisation.locale, top);
      first = false;
      flow.y = top - chunk.length * height - PAD_Y;
      flow.rule(flow.y, undefined, 0.5);
    }
  }
  flow.onNewPage = undefined;
}
