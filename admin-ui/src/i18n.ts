// i18next with the console's three languages. The choice is kept in localStorage, sent to the API
// as Accept-Language (so problem titles come back in it), and changing it keeps the page.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import ja from './locales/ja';
import { PSEUDO, pseudoTable } from './pseudo';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
  { code: 'ja', label: '日本語' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const KEY = 'bazaar.console.language';

const isLanguage = (v: string | null): v is Language => LANGUAGES.some((l) => l.code === v);

/** The saved choice (the pseudo-locale only so), else the browser's language (any zh as zh-CN, any ja as ja), else English. */
export function pickLanguage(saved: string | null, browser: string): Language | typeof PSEUDO {
  if (isLanguage(saved) || saved === PSEUDO) return saved;
  const b = browser.toLowerCase();
  if (b.startsWith('zh')) return 'zh-CN';
  if (b.startsWith('ja')) return 'ja';
  return 'en';
}

function initial(): Language | typeof PSEUDO {
  return pickLanguage(localStorage.getItem(KEY), navigator.language);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN }, ja: { translation: ja }, ...(initial() === PSEUDO ? { [PSEUDO]: { translation: pseudoTable(en) } } : {}) },
  lng: initial(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

function mark(lng: string) {
  document.documentElement.lang = lng;
}
mark(i18n.language);
i18n.on('languageChanged', (lng) => {
  localStorage.setItem(KEY, lng);
  mark(lng);
});

export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : 'en');
export default i18n;
