import type { PDFImage, RGB } from 'pdf-lib';
import type { QuotePdfInput } from '../quote-pdf.js';
import { formatInstantUtc } from './formatting.js';
import { CONTENT_WIDTH, MARGIN, MUTED, lineHeight, wrapText, type PageFlow, type TextStyle } from './page-flow.js';

type Acceptance = NonNullable<QuotePdfInput['acceptance']>;

const SIGNATURE_BOX = { width: 220, height: 80 };
const LABEL_WIDTH = 120;
const VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH;
const SIZE = 9.5;
const HASH_SIZE = 8;
const TYPED_SIZE = 24;

/**
 * The signature as drawn (scaled into a 220 × 80 pt box), or the typed name in a larger size;
 * a line under it and a caption saying which it is. Nothing when no signature was asked for.
 */
function drawSignature(flow: PageFlow, acceptance: Acceptance, signature: PDFImage | null): void {
  let caption: string;
  if (signature) {
    const scale = Math.min(SIGNATURE_BOX.width / signature.width, SIGNATURE_BOX.height / signature.height, 1);
    const height = signature.height * scale;
    flow.page.drawImage(signature, { x: MARGIN, y: flow.y - height, width: signature.width * scale, height });
    flow.y -= height + 4;
    caption = 'Signature';
  } else if (acceptance.typedName !== null) {
    flow.paragraph(acceptance.typedName, { font: flow.fonts.regular, size: TYPED_SIZE }, MARGIN, SIGNATURE_BOX.width * 1.6);
    caption = 'Typed signature';
  } else {
    return;
  }
  flow.rule(flow.y, MUTED, 0.75, MARGIN, SIGNATURE_BOX.width * 1.2);
  flow.y -= 4;
  flow.drawLine(caption, MARGIN, flow.y, { font: flow.fonts.regular, size: 8.5, color: MUTED });
  flow.y -= lineHeight(8.5) + 12;
}

/** The fingerprint on one line, in a size that fits, so copying or extracting the text yields all 64 characters. */
function hashStyle(flow: PageFlow, hash: string): TextStyle {
  const width = flow.fonts.regular.widthOfTextAtSize(hash, HASH_SIZE);
  return { font: flow.fonts.regular, size: width <= VALUE_WIDTH ? HASH_SIZE : (HASH_SIZE * VALUE_WIDTH) / width };
}

/**
 * The last section once a quote is accepted: the signature and the audit trail (who, contact,
 * when, IP, browser, version, content fingerprint), kept together on one page.
 */
export function drawAcceptanceSection(
  flow: PageFlow,
  input: QuotePdfInput,
  acceptance: Acceptance,
  signature: PDFImage | null,
  accent: RGB,
): void {
  const { quote, organisation } = input;
  const { regular, bold } = flow.fonts;
  const valueStyle: TextStyle = { font: regular, size: SIZE };
  const rows: [string, string][] = [
    ['Signed by', acceptance.signerName],
    ['Email', acceptance.contactEmail],
    ['Accepted at', `${acceptance.acceptedAt.toISOString()}\n${formatInstantUtc(acceptance.acceptedAt, organisation.locale)}`],
    ['IP address', acceptance.ip ?? 'Not recorded'],
    ['Browser', acceptance.userAgent ?? 'Not recorded'],
    ['Version', `Quote ${quote.number} · v${quote.version}`],
  ];
  const wrapped = rows.map(([label, value]) => [label, wrapText(value, valueStyle, VALUE_WIDTH)] as const);
  const signatureHeight = signature || acceptance.typedName !== null ? SIGNATURE_BOX.height + 40 : 0;
  const rowsHeight = wrapped.reduce((sum, [, lines]) => sum + lines.length * lineHeight(SIZE) + 4, 0);
  flow.y -= 16;
  flow.ensure(40 + signatureHeight + rowsHeight + 60);

  flow.drawLine('Acceptance', MARGIN, flow.y, { font: bold, size: 14, color: accent });
  flow.y -= lineHeight(14) + 2;
  flow.rule(flow.y, accent, 1.5);
  flow.y -= 14;
  flow.paragraph(
    `${acceptance.signerName} accepted quote ${quote.number} (v${quote.version}) on behalf of ${quote.clientName}.`,
    valueStyle,
  );
  flow.y -= 10;

  drawSignature(flow, acceptance, signature);

  for (const [label, lines] of wrapped) {
    flow.ensure(lines.length * lineHeight(SIZE));
    flow.drawLine(label, MARGIN, flow.y, { font: regular, size: SIZE, color: MUTED });
    for (const line of lines) {
      flow.drawLine(line, MARGIN + LABEL_WIDTH, flow.y, valueStyle);
      flow.y -= lineHeight(SIZE);
    }
    flow.y -= 4;
  }

  const hash = acceptance.contentSha256.toLowerCase();
  flow.ensure(3 * lineHeight(SIZE));
  flow.drawLine('Content SHA-256', MARGIN, flow.y, { font: regular, size: SIZE, color: MUTED });
  const style = hashStyle(flow, hash);
  // On the label's baseline, although smaller.
  const baselineShift = regular.heightAtSize(SIZE, { descender: false }) - regular.heightAtSize(style.size, { descender: false });
  flow.drawLine(hash, MARGIN + LABEL_WIDTH, flow.y - baselineShift, style);
  flow.y -= lineHeight(SIZE) + 2;
  flow.paragraph(
    `The SHA-256 fingerprint identifies the exact content of version ${quote.version} that was accepted.`,
    { font: regular, size: 8, color: MUTED },
    MARGIN + LABEL_WIDTH,
    VALUE_WIDTH,
  );
}
