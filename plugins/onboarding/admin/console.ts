// The onboarding plugin's console pages: the applicant's own page (public, /admin/ext/onboarding/apply)
// and, in the platform console, the review queues (applications, held products, product changes)
// and the seller scorecards with appeals; in the store console of a store it opened, the store's own
// scorecard and change requests.
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: 'onboarding',
  pages: [
    { surface: 'public', path: 'apply', label: { en: 'Apply to sell', 'zh-CN': '申请入驻', ja: '出店申請' }, load: () => import('./ApplicantPage') },
    { surface: 'platform', path: 'applications', label: { en: 'Merchant applications', 'zh-CN': '入驻申请', ja: '出店申請の審査' }, load: () => import('./ReviewPage') },
    { surface: 'platform', path: 'products', label: { en: 'Product review', 'zh-CN': '商品审核', ja: '商品審査' }, load: () => import('./ProductsPage') },
    { surface: 'platform', path: 'changes', label: { en: 'Product changes', 'zh-CN': '商品变更审核', ja: '商品変更の審査' }, load: () => import('./ChangesPage') },
    // A store's own side, in the store console of a store onboarding opened (GET /admin/v1/me lists it in platformPlugins).
    { path: 'scorecard', label: { en: 'Seller scorecard', 'zh-CN': '店铺绩效', ja: 'スコアカード' }, permission: 'onboarding:read', load: () => import('./StoreScorecardPage') },
    { path: 'change-requests', label: { en: 'Change requests', 'zh-CN': '商品变更申请', ja: '商品変更の申請' }, permission: 'onboarding:read', load: () => import('./StoreChangesPage') },
    { surface: 'platform', path: 'scorecards', label: { en: 'Seller scorecards', 'zh-CN': '店铺绩效', ja: '出店者スコアカード' }, load: () => import('./ScorecardsPage') },
  ],
});
