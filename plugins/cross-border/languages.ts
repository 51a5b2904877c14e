// Which language a request is served in (requirement 38), always one of the store's enabled
// languages: ?locale= -> X-Bazaar-Locale -> the `locale` cookie -> Accept-Language (RFC 4647
// lookup: fr-CA finds fr) -> the market's first language -> the store default -> the first
// enabled. An explicit choice (query or header) that matches no enabled language is a 400.
import { matchLocale, negotiateLocale } from '@bazaar/sdk';

export interface LocaleInput {
  query?: string;
  header?: string;
  cookie?: string;
  acceptLanguage?: string;
  marketLanguages: readonly string[];
  storeDefault: string;
  enabled: readonly string[];
}

export type LocaleAnswer = { locale: string; error?: undefined } | { locale?: undefined; error: { in: 'query' | 'header'; pointer: string; value: string } };

export function negotiate(input: LocaleInput): LocaleAnswer {
  const { enabled } = input;
  if (input.query !== undefined) {
    const m = matchLocale(input.query, enabled);
    return m ? { locale: m } : { error: { in: 'query', pointer: '/locale', value: input.query } };
  }
  if (input.header) {
    const m = matchLocale(input.header, enabled);
    return m ? { locale: m } : { error: { in: 'header', pointer: '/x-bazaar-locale', value: input.header } };
  }
  if (input.cookie) {
    const m = matchLocale(input.cookie, enabled);
    if (m) return { locale: m };
  }
  if (input.acceptLanguage) {
    const m = negotiateLocale(input.acceptLanguage, enabled, '');
    if (m) return { locale: m };
  }
  for (const l of input.marketLanguages) {
    const m = matchLocale(l, enabled);
    if (m) return { locale: m };
  }
  return { locale: matchLocale(input.storeDefault, enabled) ?? enabled[0] ?? input.storeDefault };
}
