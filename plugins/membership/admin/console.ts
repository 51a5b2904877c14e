// The membership console pages (only for stores where the plugin is on): members (search,
// paging, a member's balances, both ledgers, tier history, a manual adjustment with a reason),
// the tier table with its benefits and the dry-run preview before a change, and the fraud
// review (referral payouts held for a shared phone or address, adjustments above a cap); and a
// widget on a customer's page with their tier and balances (zone customer.details.main).
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: 'membership',
  pages: [
    { path: 'members', label: { en: 'Members', 'zh-CN': '会员', ja: '会員' }, load: () => import('./MembersPage') },
    { path: 'tiers', label: { en: 'Member tiers', 'zh-CN': '会员等级', ja: '会員ランク' }, load: () => import('./TiersPage') },
    { path: 'review', label: { en: 'Loyalty review', 'zh-CN': '会员风险审核', ja: '会員の不正審査' }, load: () => import('./ReviewPage') },
  ],
  widgets: [{ key: 'customer', zone: 'customer.details.main', permission: 'membership:read', load: () => import('./CustomerWidget') }],
});
