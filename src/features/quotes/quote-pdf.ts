import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFImage } from 'pdf-lib';
import { drawAcceptanceSection } from './pdf/acceptance-section.js';
import { loadFontBytes } from './pdf/fonts.js';
import { drawLinesTable } from './pdf/lines-table.js';
import { formatDecimal, formatMoney } from './pdf/money.js';
import { CONTENT_WIDTH, MARGIN, MUTED, PageFlow, clampLines, lineHeight, type Fonts, type TextStyle } from './pdf/page-flow.js';
import { accentFor, drawQuoteHeader } from './pdf/quote-header.js';

export interface QuotePdfInput {
  readonly organisation: { readonly name: string; readonly accentColour: string; readonly logoPng: Buffer | null; readonly locale: string };
  readonly quote: {
    readonly number: string; // "Q-12"
    readonly version: number; // 2 → "v2"
    readonly title: string;
    readonly clientName: string;
    readonly currency: string; // ISO 4217, e.g. "USD", "JPY", "BHD"
    readonly issuedAt: Date; // a date (UTC midnight): the day it was sent in the organisation's time zone
    readonly validUntil: Date | null; // a date (UTC midnight)
    readonly terms: string;
    readonly status: string; // 'sent' | 'accepted' | …
    readonly lines: readonly {
      readonly description: string;
      readonly quantity: string; // decimal text, up to 3 decimals: "1.5"
      readonly unitPriceMinor: number; // integer minor units
      readonly taxRatePercent: string | null; // decimal text: "8.25"
      readonly lineTotalMinor: number; // quantity × unit price, rounded (before tax)
      readonly lineTaxMinor: number;
    }[];
    readonly subtotalMinor: number;
    readonly discountMinor: number;
    readonly discountPercent?: string | null; // decimal text when the discount is a percentage, e.g. 10
    readonly taxMinor: number;
    readonly totalMinor: number;
  };
  readonly acceptance: null | {
    readonly signerName: string;
    readonly contactEmail: string;
    readonly acceptedAt: Date;
    readonly ip: string | null;
    readonly userAgent: string | null;
    readonly contentSha256: string; // hex
    readonly signaturePng: Buffer | null; // null when the quote needed no drawn signature / typed name
    readonly typedName: string | null;
  };
}

const TOTALS_WIDTH = 250;

/**
 * An image the organisation or the customer gave us, or nothing: a logo pdf-lib cannot read must
 * not stop the quote from being printed (both were validated and re-encoded when stored).
 */
async function embedPngOrNull(doc: PDFDocument, png: Buffer | null): Promise<PDFImage | null> {
  if (!png || png.length === 0) return null;
  try {
    return await doc.embedPng(png);
  } catch {
    return null;
  }
}

function drawTotals(flow: PageFlow, input: QuotePdfInput): void {
  const { quote, organisation } = input;
  const money = (minor: number): string => formatMoney(minor, quote.currency, organisation.locale);
  const rows: [string, string][] = [['Subtotal', money(quote.subtotalMinor)]];
  if (quote.discountMinor !== 0) {
    const percent = quote.discountPercent ? ` (${formatDecimal(quote.discountPercent, organisation.locale)}%)` : '';
    rows.push([`Discount${percent}`, money(-Math.abs(quote.discountMinor))]);
  }
  rows.push(['Tax', money(quote.taxMinor)]);
  const regular: TextStyle = { font: flow.fonts.regular, size: 10 };
  const bold: TextStyle = { font: flow.fonts.bold, size: 12.5 };
  const left = MARGIN + CONTENT_WIDTH - TOTALS_WIDTH;
  const right = MARGIN + CONTENT_WIDTH - 6;

  flow.y -= 10;
  flow.ensure(rows.length * (lineHeight(10) + 4) + lineHeight(12.5) + 16);
  for (const [label, value] of rows) {
    flow.drawLine(label, left, flow.y, { ...regular, color: MUTED });
    flow.drawLine(value, right, flow.y, regular, true);
    flow.y -= lineHeight(10) + 4;
  }
  flow.rule(flow.y, undefined, 1, left, TOTALS_WIDTH);
  flow.y -= 7;
  flow.drawLine('Total', left, flow.y, bold);
  flow.drawLine(money(quote.totalMinor), right, flow.y, bold, true);
  flow.y -= lineHeight(12.5) + 6;
}

function drawTerms(flow: PageFlow, terms: string): void {
  if (terms.trim() === '') return;
  flow.y -= 14;
  // The heading never ends a page on its own.
  flow.ensure(lineHeight(11) + 4 + 2 * lineHeight(9.5));
  flow.drawLine('Terms', MARGIN, flow.y, { font: flow.fonts.bold, size: 11 });
  flow.y -= lineHeight(11) + 4;
  flow.paragraph(terms.trim(), { font: flow.fonts.regular, size: 9.5 });
}

/** "Q-12 · v2 · Organisation" on the left and "Page x of y" on the right of every page. */
function drawFooters(doc: PDFDocument, fonts: Fonts, input: QuotePdfInput): void {
  const pages = doc.getPages();
  const style: TextStyle = { font: fonts.regular, size: 8, color: MUTED };
  const left =
    clampLines(`${input.quote.number} · v${input.quote.version} · ${input.organisation.name}`, style, CONTENT_WIDTH - 120, 1)[0] ?? '';
  pages.forEach((page, index) => {
    const y = MARGIN - 6;
    page.drawLine({ start: { x: MARGIN, y: y + 14 }, end: { x: MARGIN + CONTENT_WIDTH, y: y + 14 }, thickness: 0.5, color: MUTED });
    page.drawText(left, { x: MARGIN, y, size: 8, font: fonts.regular, color: MUTED });
    const pageText = `Page ${index + 1} of ${pages.length}`;
    const width = fonts.regular.widthOfTextAtSize(pageText, 8);
    page.drawText(pageText, { x: MARGIN + CONTENT_WIDTH - width, y, size: 8, font: fonts.regular, color: MUTED });
  });
}

/**
 * Renders a quote (and, once accepted, its acceptance and audit trail) as an A4 PDF, in process:
 * DejaVu Sans embedded from node_modules, the organisation's logo and accent colour, nothing
 * fetched, and no name but the organisation's in the document or its metadata.
 */
export async function renderQuotePdf(input: QuotePdfInput): Promise<Buffer> {
  const { organisation, quote, acceptance } = input;
  const fontBytes = await loadFontBytes();
  // updateMetadata: false keeps pdf-lib from writing its own name as Producer and Creator.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts: Fonts = {
    regular: await doc.embedFont(fontBytes.regular, { subset: true }),
    bold: await doc.embedFont(fontBytes.bold, { subset: true }),
  };
  const title = `Quote ${quote.number} (v${quote.version}): ${quote.title}`;
  doc.setTitle(title);
  doc.setAuthor(organisation.name);
  doc.setSubject(`${title}, for ${quote.clientName}`);
  doc.setCreator(organisation.name);
  doc.setProducer(organisation.name);
  // The document's dates are the quote's, so the same version renders the same.
  const documentDate = acceptance?.acceptedAt ?? quote.issuedAt;
  doc.setCreationDate(documentDate);
  doc.setModificationDate(documentDate);

  const logo = await embedPngOrNull(doc, organisation.logoPng);
  const signature = acceptance ? await embedPngOrNull(doc, acceptance.signaturePng) : null;
  const accent = accentFor(organisation.accentColour);

  const flow = new PageFlow(doc, fonts);
  drawQuoteHeader(flow, input, logo, accent);
  drawLinesTable(flow, input);
  drawTotals(flow, input);
  drawTerms(flow, quote.terms);
  if (acceptance) drawAcceptanceSection(flow, input, acceptance, signature, accent);
  drawFooters(doc, fonts, input);

  return Buffer.from(await doc.save());
}
