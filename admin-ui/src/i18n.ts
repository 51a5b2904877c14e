// i18next with the console's two languages. The choice is kept in localStorage, sent to the API
// as Accept-Language (so problem titles come back in it), and changing it keeps the page.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const KEY = 'bazaar.console.language';

function initial(): Language {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
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

export const currentLanguage = (): Language => (i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
export default i18n;
