import { useMemo } from 'react';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { formatQuoteDate, formatQuoteDecimal, formatQuoteMoney } from './quote-format.js';

/** The quote formatters in the open organisation's locale (the currency is each amount's own). */
export function useQuoteFormat() {
  const { locale } = useOrganisationFormats();
  return useMemo(
    () => ({
      locale,
      money: (minor: number, currency: string) => formatQuoteMoney(minor, currency, locale),
      date: (date: string) => formatQuoteDate(date, locale),
      decimal: (text: string) => formatQuoteDecimal(text, locale),
    }),
    [locale],
  );
}
