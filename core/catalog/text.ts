// Normalising shopper-facing text: slugs, sort keys, locales, filter values.

/** "Café Crème 2.0" -> "cafe-creme-2-0"; "智能手机 Pro" -> "智能手机-pro". Letters of any script survive. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/, '');
}

export const SLUG_PATTERN = '^[\\p{Ll}\\p{Lo}\\p{Lm}\\p{N}]+(-[\\p{Ll}\\p{Lo}\\p{Lm}\\p{N}]+)*$';

/** The same order on both databases: NFKC, lower case, compared byte for byte. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim().slice(0, 300);
}

/** "zh-cn" -> "zh-CN"; anything Intl cannot read is returned as given (the schema already checked the shape). */
export function canonicalLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? locale;
  } catch {
    return locale;
  }
}

/** Attribute and option names and values as they are stored for filtering. */
export function facetKey(value: unknown): string {
  return String(value).normalize('NFKC').toLowerCase().trim().slice(0, 191);
}
