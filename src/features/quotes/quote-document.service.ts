import type { TenantScope } from '../../platform/db/tenant-scope.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { findContactById, getClient } from '../clients/client.service.js';
import type { Tenant } from '../tenants/tenant.service.js';
import { renderQuotePdf, type QuotePdfInput } from './quote-pdf.js';
import { dateIn, quoteNumberText } from './quote.domain.js';
import type { Quote, QuoteAcceptance, QuoteVersion } from './quote.repository.js';

/** A quote version as a PDF: what both audiences download, and what the confirmation email attaches. */
export interface QuoteDocumentInput {
  readonly tenant: Tenant;
  readonly quote: Quote;
  readonly version: QuoteVersion;
  readonly acceptance: QuoteAcceptance | null;
}

async function readLogo(files: FileStore, tenant: Tenant): Promise<Buffer | null> {
  if (!tenant.logoKey) return null;
  try {
    const stored = await files.get(tenant.logoKey);
    if (!stored) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of stored.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch {
    // A logo the store cannot give right now must not stop the quote from printing.
    return null;
  }
}

/** The renderer's input for a stored version (and its acceptance, once accepted). */
export async function quotePdfInputOf(scope: TenantScope, files: FileStore, input: QuoteDocumentInput): Promise<QuotePdfInput> {
  const { tenant, quote, version, acceptance } = input;
  const client = await getClient(scope, quote.clientId);
  const contact = acceptance ? await findContactById(scope, acceptance.contactId) : undefined;
  return {
    organisation: { name: tenant.name, accentColour: tenant.accentColor, logoPng: await readLogo(files, tenant), locale: tenant.locale },
    quote: {
      number: quoteNumberText(quote.number),
      version: version.version,
      title: version.title,
      clientName: client.name,
      currency: quote.currency,
      // The day it was sent where the organisation works (a quote sent at 20:30 in Chicago is dated that day, not UTC's next).
      issuedAt: new Date(`${dateIn(tenant.timeZone, quote.sentAt ?? version.createdAt)}T00:00:00Z`),
      validUntil: version.validUntil ? new Date(`${version.validUntil}T00:00:00Z`) : null,
      terms: version.terms,
      status: acceptance ? 'accepted' : quote.status,
      lines: version.lines.map((line) => ({
        description: line.description,
        quantity: line.quantity,
        unitPriceMinor: line.unitPrice,
        taxRatePercent: line.taxRatePercent,
        lineTotalMinor: line.net,
        lineTaxMinor: line.tax,
      })),
      subtotalMinor: version.subtotal,
      discountMinor: version.discountAmount,
      discountPercent: version.discount?.kind === 'percent' ? version.discount.percent : null,
      taxMinor: version.tax,
      totalMinor: version.total,
    },
    acceptance: acceptance
      ? {
          signerName: acceptance.signerName,
          contactEmail: contact?.email ?? '',
          acceptedAt: acceptance.acceptedAt,
          ip: acceptance.ip,
          userAgent: acceptance.userAgent,
          contentSha256: acceptance.contentSha256,
          signaturePng: acceptance.signaturePng,
          typedName: acceptance.signatureKind === 'typed' ? acceptance.signerName : null,
        }
      : null,
  };
}

export async function renderQuoteDocument(scope: TenantScope, files: FileStore, input: QuoteDocumentInput): Promise<Buffer> {
  return renderQuotePdf(await quotePdfInputOf(scope, files, input));
}

/** "Q-12-v2.pdf" */
export function quoteFileName(quote: Quote, version: number): string {
  return `${quoteNumberText(quote.number)}-v${version}.pdf`;
}
