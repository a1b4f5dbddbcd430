import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { formatMoney, minorUnitsOf } from './pdf/money.js';
import { accentFor } from './pdf/quote-header.js';
import { renderQuotePdf, type QuotePdfInput } from './quote-pdf.js';
import { normaliseSignature } from './quote-signature.js';

/**
 * The PDF is read back with Debian's poppler-utils (pdftotext, pdfinfo, pdftoppm), as a customer's
 * viewer would. They are required: a missing tool fails these tests with how to install it.
 */
const POPPLER_INSTALL = 'sudo apt-get install -y poppler-utils';
const RESULTS_DIR = path.resolve('test-results/quote-pdf');
const work = mkdtempSync(path.join(tmpdir(), 'quote-pdf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function poppler(program: string, args: string[]): string {
  try {
    return execFileSync(program, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${program} is missing: the quote PDF tests read the PDF with poppler-utils. Install it with \`${POPPLER_INSTALL}\`.`,
      );
    }
    throw error;
  }
}

let fileCount = 0;
function writePdf(pdf: Buffer, name = `quote-${++fileCount}`): string {
  const file = path.join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/**
 * The PDF's text, one string per page (pdftotext separates pages with a form feed); with `layout`,
 * in the physical layout, so a label and its amount share a line.
 */
function pagesOf(pdf: Buffer, layout = false): string[] {
  const text = poppler('pdftotext', ['-enc', 'UTF-8', ...(layout ? ['-layout'] : []), writePdf(pdf), '-']);
  return text.split('\f').slice(0, -1);
}

function infoOf(pdf: Buffer): Record<string, string> {
  const lines = poppler('pdfinfo', ['-enc', 'UTF-8', writePdf(pdf)]).split('\n');
  return Object.fromEntries(lines.map((line) => /^([^:]+):\s*(.*)$/.exec(line)).flatMap((m) => (m ? [[m[1]!, m[2]!]] : [])));
}

/** Renders the pages at 60 dpi into test-results/quote-pdf/<name>-<n>.png, to be looked at. */
function keepScreenshots(pdf: Buffer, name: string): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const old of readdirSync(RESULTS_DIR).filter((f) => f.startsWith(`${name}-`))) rmSync(path.join(RESULTS_DIR, old));
  poppler('pdftoppm', ['-png', '-r', '60', writePdf(pdf, name), path.join(RESULTS_DIR, name)]);
  return readdirSync(RESULTS_DIR).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
}

/** With "ff", which a font may set as a ligature: it must still come out as two letters. */
const HASH = 'e3b0c44298fc1c149afbf4c8996ffb92427ae41e4649b934ca495991b7852b85';
const SIGNATURE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200">
  <path d="M30 150 C 60 20, 110 20, 120 140 S 190 170, 220 80 C 240 30, 270 40, 280 130 S 350 160, 400 70 S 500 60, 570 120"
        fill="none" stroke="#111827" stroke-width="4" stroke-linecap="round"/></svg>`;

type Line = QuotePdfInput['quote']['lines'][number];

function line(description: string, quantity: string, unitPriceMinor: number, taxRatePercent: string | null): Line {
  const lineTotalMinor = Math.round(Number(quantity) * unitPriceMinor);
  const lineTaxMinor = taxRatePercent === null ? 0 : Math.round((lineTotalMinor * Number(taxRatePercent)) / 100);
  return { description, quantity, unitPriceMinor, taxRatePercent, lineTotalMinor, lineTaxMinor };
}

function quoteInput(
  overrides: { currency?: string; locale?: string; lines?: Line[]; discountMinor?: number; totalMinor?: number } = {},
): QuotePdfInput {
  const lines = overrides.lines ?? [
    line('Boiler service and safety check, including flue gas analysis and a written report', '1', 45000, '20'),
    line('Zoë Łukasiewicz: on-site consultation (hours)', '1.5', 12000, '8.25'),
    line('Office refit: fibre patch panel, first floor', '2', 30800, null),
  ];
  const subtotalMinor = lines.reduce((sum, l) => sum + l.lineTotalMinor, 0);
  const taxMinor = lines.reduce((sum, l) => sum + l.lineTaxMinor, 0);
  const discountMinor = overrides.discountMinor ?? 0;
  return {
    organisation: { name: 'Acme Plumbing & Heating', accentColour: '#0f766e', logoPng: null, locale: overrides.locale ?? 'en-US' },
    quote: {
      number: 'Q-12',
      version: 2,
      title: 'Replace the boiler at 12 Harbour Street',
      clientName: 'Harbour Street Dental Practice',
      currency: overrides.currency ?? 'USD',
      issuedAt: new Date('2026-12-05T09:30:00Z'),
      validUntil: new Date('2027-01-04T00:00:00Z'),
      terms: 'Payment within 30 days of completion.\nPrices include parts and labour.\n\nThe quote is valid until the date shown.',
      status: 'sent',
      lines,
      subtotalMinor,
      discountMinor,
      taxMinor,
      totalMinor: overrides.totalMinor ?? subtotalMinor - discountMinor + taxMinor,
    },
    acceptance: null,
  };
}

async function acceptedInput(kind: 'drawn' | 'typed'): Promise<QuotePdfInput> {
  const signerName = kind === 'drawn' ? 'José Núñez' : 'Zoë Łukasiewicz';
  const base = quoteInput({ discountMinor: 5000 });
  const logoPng = await sharp(
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect width="200" height="200" rx="40" fill="#0f766e"/><text x="100" y="130" font-size="90" text-anchor="middle" fill="#fff" font-family="sans-serif">AP</text></svg>',
    ),
  )
    .png()
    .toBuffer();
  const drawn = await sharp(Buffer.from(SIGNATURE_SVG)).png().toBuffer();
  return {
    organisation: { ...base.organisation, logoPng },
    quote: { ...base.quote, status: 'accepted' },
    acceptance: {
      signerName,
      contactEmail: 'jose.nunez@harbour-dental.example',
      acceptedAt: new Date('2026-12-07T14:03:11.250Z'),
      ip: '2001:db8::42',
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1 ExtraLongTokenWithoutAnySpaces_abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz',
      contentSha256: HASH,
      signaturePng: kind === 'drawn' ? await normaliseSignature(`data:image/png;base64,${drawn.toString('base64')}`) : null,
      typedName: kind === 'typed' ? signerName : null,
    },
  };
}

describe('renderQuotePdf', () => {
  it('prints the organisation, the quote, accented names, the money in USD and the acceptance with the full content hash', async () => {
    const input = await acceptedInput('drawn');
    const pdf = await renderQuotePdf(input);
    const text = pagesOf(pdf).join('\n');

    expect(text).toContain('Acme Plumbing & Heating');
    expect(text).toContain('Quote Q-12 · v2');
    expect(text).toContain('Replace the boiler at 12 Harbour Street');
    expect(text).toContain('Harbour Street Dental Practice');
    expect(text).toContain('December 5, 2026');
    expect(text).toContain('January 4, 2027');
    expect(text).toContain('Zoë Łukasiewicz: on-site consultation');
    // Ligatures (fi) come back as letters.
    expect(text).toContain('Office refit: fibre patch panel');
    expect(text).toContain('$450.00');
    expect(text).toContain('8.25%');
    expect(text).toContain('-$50.00');
    // 450 + 180 + 616 = 1,246 + tax 90 + 14.85 − 50 discount.
    expect(input.quote.totalMinor).toBe(130085);
    expect(pagesOf(pdf, true).join('')).toMatch(/^ +Total +\$1,300\.85$/m);
    expect(text).toContain('Payment within 30 days of completion.');

    const acceptance = text.slice(text.indexOf('Acceptance'));
    expect(text.indexOf('Acceptance')).toBeGreaterThan(text.indexOf('Payment within 30 days'));
    expect(acceptance).toContain('José Núñez');
    expect(acceptance).toContain('jose.nunez@harbour-dental.example');
    expect(acceptance).toContain('2026-12-07T14:03:11.250Z');
    expect(acceptance).toContain('December 7, 2026 at 2:03:11 PM UTC');
    expect(acceptance).toContain('2001:db8::42');
    expect(acceptance).toContain('ExtraLongTokenWithoutAnySpaces');
    expect(acceptance).toContain('Signature');
    // The 64 hex digits on one line, so they are extracted (and copied) whole.
    expect(acceptance.match(/\b[0-9a-f]{64}\b/g)).toEqual([HASH]);
    expect(text).toMatch(/Page 1 of \d/);

    expect(keepScreenshots(pdf, 'accepted-drawn').length).toBeGreaterThan(0);
  });

  it('prints a typed signature in a larger size, captioned as typed', async () => {
    const pdf = await renderQuotePdf(await acceptedInput('typed'));
    const acceptance = pagesOf(pdf).join('\n').split('Acceptance')[1] ?? '';
    expect(acceptance).toContain('Zoë Łukasiewicz accepted quote Q-12 (v2)');
    expect(acceptance).toMatch(/Zoë Łukasiewicz\s+Typed signature\s+Signed by\s+Zoë Łukasiewicz/);
    expect(acceptance).toContain(HASH);
    keepScreenshots(pdf, 'accepted-typed');
  });

  it('writes the total in the currency’s own minor units: JPY with none, BHD with three', async () => {
    const yen = quoteInput({ currency: 'JPY', lines: [line('Server rack installation', '1', 123457, null)] });
    expect(minorUnitsOf('JPY')).toBe(0);
    expect(pagesOf(await renderQuotePdf(yen), true).join('')).toMatch(/^ +Total +¥123,457$/m);

    const dinar = quoteInput({ currency: 'BHD', lines: [line('Annual maintenance', '1', 1234567, null)] });
    expect(minorUnitsOf('BHD')).toBe(3);
    expect(pagesOf(await renderQuotePdf(dinar), true).join('')).toMatch(/^ +Total +BHD 1,234\.567$/m);

    const german = quoteInput({ locale: 'de-DE', lines: [line('Wartung', '1.5', 82300, '19')] });
    const text = pagesOf(await renderQuotePdf(german), true).join('');
    // German writes the symbol after the amount, after a no-break space (which the glyph for a space prints).
    expect(formatMoney(146906, 'USD', 'de-DE')).toBe('1.469,06\u00a0$');
    expect(text).toMatch(/^ +Total +1\.469,06 \$$/m);
    expect(text).toContain('5. Dezember 2026');
    expect(text).toContain('1,5');
  });

  it('paginates 100 lines: the header repeats, every line appears once and in order, and pages say "Page x of y"', async () => {
    const lines = Array.from({ length: 100 }, (_, i) =>
      line(
        `Item ${String(i + 1).padStart(3, '0')}: ${i % 7 === 0 ? 'a longer description that wraps over several lines of the description column, with enough words to need three lines in all' : 'fitting'}`,
        String((i % 5) + 1),
        1999 + i,
        i % 3 === 0 ? '20' : null,
      ),
    );
    const pdf = await renderQuotePdf(quoteInput({ lines }));
    const pages = pagesOf(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1} of ${pages.length}`);
      expect(page).toContain('Q-12 · v2 · Acme Plumbing & Heating');
    });
    const withLines = pages.filter((page) => /Item \d{3}/.test(page));
    expect(withLines.length).toBeGreaterThanOrEqual(3);
    for (const page of withLines) expect(page).toMatch(/Description\s+Qty\s+Unit price\s+Tax\s+Amount/);

    const items = pages.join('').match(/Item \d{3}/g);
    expect(items).toEqual(lines.map((l) => l.description.slice(0, 8)));
    expect(pages.at(-1)).toContain('Total');
    keepScreenshots(pdf, 'hundred-lines');
  });

  it('continues a description longer than a page on the next page, and shortens a very long organisation name', async () => {
    const sentence = 'Remove the old radiators and lay new pipework under the floor. ';
    const input = quoteInput({ lines: [line('First line', '1', 1000, null), line(sentence.repeat(60).trim(), '1', 250000, null)] });
    const longName = 'The Very Long Named Heating, Ventilation and Air Conditioning Company of Greater Manchester and District Ltd';
    const pdf = await renderQuotePdf({ ...input, organisation: { ...input.organisation, name: longName } });
    const pages = pagesOf(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    // It starts on the first page, under the first line, and nothing of it is lost.
    expect(pages[0]).toContain('First line');
    expect(pages[0]).toContain('Remove the old radiators');
    expect(pages.join('').match(/radiators/g)).toHaveLength(60);
    // Its unit price and amount once each, beside its first lines.
    expect(pages[0]!.match(/\$2,500\.00/g)).toHaveLength(2);
    expect(pages.slice(1).join('')).not.toContain('$2,500.00');
    expect(pages[1]).toMatch(/Description\s+Qty/);
    expect(pages[0]).toContain('The Very Long Named');
    expect(pages[0]).toContain('…');
    keepScreenshots(pdf, 'long-description');
  });

  it('never carries the vendor’s name, in the content or the metadata', async () => {
    const pdf = await renderQuotePdf(await acceptedInput('drawn'));
    expect(pdf.includes('Servelo')).toBe(false);
    expect(pdf.includes('pdf-lib')).toBe(false);
    const info = infoOf(pdf);
    expect(info.Producer).toBe('Acme Plumbing & Heating');
    expect(info.Creator).toBe('Acme Plumbing & Heating');
    expect(info.Title).toBe('Quote Q-12 (v2): Replace the boiler at 12 Harbour Street');
    expect(info['Page size']).toMatch(/^595\.2\d? x 841\.8\d? pts \(A4\)/);
    expect(JSON.stringify(info)).not.toMatch(/servelo/i);
  });

  it('prints names in dark grey when the accent colour is not a colour or too pale on white', () => {
    const grey = accentFor('#374151');
    expect(accentFor('#0f766e')).not.toEqual(grey);
    expect(accentFor('#facc15')).toEqual(grey);
    expect(accentFor('red; background: url(x)')).toEqual(grey);
  });
});
