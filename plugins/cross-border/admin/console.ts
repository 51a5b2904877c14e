// The cross-border plugin's console pages (loaded by the admin console, only for stores where the
// plugin is on): the store's markets, and its exchange rates (the source's health, a fetch, the
// history). The routes are staff routes without a permission of their own, so are the pages.
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: 'cross-border',
  pages: [
    { path: 'markets', label: { en: 'Markets', 'zh-CN': '市场', ja: 'マーケット' }, load: () => import('./MarketsPage') },
    { path: 'rates', label: { en: 'Exchange rates', 'zh-CN': '汇率', ja: '為替レート' }, load: () => import('./RatesPage') },
  ],
  settingsLabels: {
    en: {
      rateSource: { title: 'Rate source', description: 'Where automatic markets take their rates: ECB, Open Exchange Rates or manual rates.' },
      maxRateAgeHours: { title: 'Maximum rate age (hours)', description: 'Older rates alert the owners; prices keep the last good rate.' },
      countryHeader: { title: 'Country header', description: 'The CDN header with the shopper’s country.' },
      roundingMode: { title: 'Rounding mode', description: 'How a converted price rounds to the currency’s minor unit, before the market’s rounding rule.' },
      languages: { title: 'Languages', description: 'Enabled languages (empty: every language the platform ships).' },
    },
    'zh-CN': {
      rateSource: { title: '汇率来源', description: '自动市场的汇率来源：欧洲央行、Open Exchange Rates 或手动汇率。' },
      maxRateAgeHours: { title: '汇率最长有效期（小时）', description: '超过该时长将提醒店主；价格沿用最后一次有效汇率。' },
      countryHeader: { title: '国家请求头', description: 'CDN 传递顾客所在国家的请求头。' },
      roundingMode: { title: '取整方式', description: '换算后的价格如何取整到货币的最小单位（在市场的取整规则之前）。' },
      languages: { title: '语言', description: '启用的语言（留空：平台提供的全部语言）。' },
    },
    ja: {
      rateSource: { title: '為替レートの取得元', description: '自動マーケットが使うレートの取得元：ECB、Open Exchange Rates、または手動レート。' },
      maxRateAgeHours: { title: 'レートの最大有効時間（時間）', description: 'これより古いレートはオーナーに通知されます。価格は最後の有効なレートを使い続けます。' },
      countryHeader: { title: '国のヘッダー', description: '購入者の国を伝える CDN のヘッダー。' },
      roundingMode: { title: '端数処理', description: '換算後の価格を通貨の最小単位に丸める方法（マーケットの丸めルールの前に適用）。' },
      languages: { title: '言語', description: '有効な言語（空欄：プラットフォームが提供するすべての言語）。' },
    },
  },
});
