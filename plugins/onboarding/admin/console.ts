// The onboarding plugin's console pages, in the platform console (a platform plugin): the review
// queue with an application's detail and decisions, and the products held at the quality gate.
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: 'onboarding',
  pages: [
    { surface: 'platform', path: 'applications', label: { en: 'Merchant applications', 'zh-CN': '入驻申请' }, load: () => import('./ReviewPage') },
    { surface: 'platform', path: 'products', label: { en: 'Product review', 'zh-CN': '商品审核' }, load: () => import('./ProductsPage') },
    { surface: 'platform', path: 'changes', label: { en: 'Product changes', 'zh-CN': '商品变更审核' }, load: () => import('./ChangesPage') },
    { surface: 'platform', path: 'scorecards', label: { en: 'Seller scorecards', 'zh-CN': '店铺绩效' }, load: () => import('./ScorecardsPage') },
  ],
});
