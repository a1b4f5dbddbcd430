/**
 * The quote rules the web app shares with the server: the statuses, the limits, the currency's
 * minor unit and the rounding rule (for the editor's live preview; the server's totals are the
 * truth). quote.domain.ts is pure (no I/O, no server package), but it is not a `*.schemas.ts`
 * file, so this is the one place the team app reaches it.
 */
// eslint-disable-next-line no-restricted-imports -- pure domain rules (no I/O); the schemas do not re-export them
export {
  computeQuote,
  dateIn,
  minorUnitsOf,
  QUOTE_LIMITS,
  QUOTE_STATUSES,
  QuoteTotalTooLarge,
  type QuoteStatus,
} from '../../../features/quotes/quote.domain.js';
