// i18next with our own locale folders; one instance per process, a fixed t() per request.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { projectRoot } from './paths.js';

export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export const DEFAULT_LOCALE = 'en';
export type { TFunction };

/**
 * A key no locale has (not even English, the fallback) is a bug: it is logged once per key, and
 * the text shows the caller's defaultValue or nothing, never the raw key (requirement 41).
 */
export async function createI18n(extraDirs: { ns: string; dir: string }[] = [], opts: { onMissingKey?: (ns: string, key: string) => void } = {}): Promise<i18n> {
  const reported = new Set<string>();
  const resources: Record<string, Record<string, unknown>> = {};
  const base = path.join(projectRoot, 'locales');
  for (const lng of fs.readdirSync(base)) {
    resources[lng] = {};
    for (const file of fs.readdirSync(path.join(base, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng][file.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(base, lng, file), 'utf8'));
    }
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources: resources as never,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: Object.keys(resources),
    ns: ['errors', 'common', 'validation', 'orders'],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (_lngs: readonly string[], ns: string, key: string, _fallback: unknown, _update: unknown, options?: { defaultValue?: unknown }) => {
      // A caller that gives a default is probing for an optional text (problem details): not a bug.
      if (options?.defaultValue !== undefined) return;
      const id = `${ns}:${key}`;
      if (reported.has(id) || reported.size > 10_000) return;
      reported.add(id);
      opts.onMissingKey?.(ns, key);
    },
    parseMissingKeyHandler: (_key: string, defaultValue?: string) => defaultValue ?? '',
  } as never);
  for (const { ns, dir } of extraDirs) addLocaleDir(instance, ns, dir);
  return instance;
}

/** Loads `<dir>/<lng>.json` or `<dir>/<lng>/<ns>.json` into namespace `ns` (plugins use this). */
export function addLocaleDir(instance: i18n, ns: string, dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry.endsWith('.json')) {
      instance.addResourceBundle(entry.replace(/\.json$/, ''), ns, JSON.parse(fs.readFileSync(full, 'utf8')), true, true);
    }
  }
}

/**
 * Picks the best supported locale from an Accept-Language header. Tags are normalised first
 * (zh, zh-Hans, zh-Hans-CN, zh-SG -> zh-CN; en-US -> en) since i18next alone drops them to English.
 */
export function negotiateLocale(header: string | undefined, supported: readonly string[] = SUPPORTED_LOCALES, fallback = DEFAULT_LOCALE): string {
  if (!header) return fallback;
  const wanted = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of wanted) {
    const match = matchLocale(tag, supported);
    if (match) return match;
  }
  return fallback;
}

export function matchLocale(tag: string, supported: readonly string[]): string | undefined {
  const lower = tag.toLowerCase();
  const exact = supported.find((s) => s.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split('-')[0];
  if (primary === 'zh') {
    const traditional = /hant|-tw|-hk|-mo/.test(lower);
    const target = supported.find((s) => s.toLowerCase() === (traditional ? 'zh-tw' : 'zh-cn'));
    if (target) return target;
  }
  return supported.find((s) => s.toLowerCase() === primary) ?? supported.find((s) => s.toLowerCase().split('-')[0] === primary);
}

export function supportedLocales(instance: i18n): string[] {
  return ((instance.options.supportedLngs || []) as string[]).filter((l) => l !== 'cimode');
}

const fixedTs = new WeakMap<i18n, Map<string, TFunction>>();

/**
 * The fixed t() of a locale, made once per instance and locale: i18next builds a new closure on
 * every getFixedT call, and a request needs one. Resources are still read at call time, so
 * bundles added later (plugins) are seen.
 */
export function fixedT(instance: i18n, locale: string): TFunction {
  let byLocale = fixedTs.get(instance);
  if (!byLocale) fixedTs.set(instance, (byLocale = new Map()));
  let t = byLocale.get(locale);
  if (!t) byLocale.set(locale, (t = instance.getFixedT(locale)));
  return t;
}
