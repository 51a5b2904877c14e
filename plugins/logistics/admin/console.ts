// The logistics plugin's console pages (loaded by the admin console, only for stores where the
// plugin is on): zones, methods, pickup points and local delivery areas, and slot calendars with
// what each dated slot has booked. They read the Admin API a page at a time; changes go through
// the same API (see the plugin README).
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: 'logistics',
  pages: [
    { path: 'zones', label: { en: 'Shipping zones', 'zh-CN': '配送区域', ja: '配送ゾーン' }, permission: 'logistics:read', load: () => import('./ZonesPage') },
    { path: 'methods', label: { en: 'Shipping methods', 'zh-CN': '配送方式', ja: '配送方法' }, permission: 'logistics:read', load: () => import('./MethodsPage') },
    { path: 'pickup', label: { en: 'Pickup and local delivery', 'zh-CN': '自提与同城配送', ja: '店頭受取・地域配送' }, permission: 'logistics:read', load: () => import('./PickupPage') },
    { path: 'slots', label: { en: 'Delivery slots', 'zh-CN': '配送时段', ja: '配送時間枠' }, permission: 'logistics:read', load: () => import('./SlotsPage') },
  ],
  settingsLabels: {
    en: {
      shipFrom: { title: 'Ship from', description: 'Where parcels leave from (carrier rates and labels).' },
      easypostApiKey: { title: 'EasyPost API key' },
      easypostWebhookSecret: { title: 'EasyPost webhook secret' },
      cainiaoProviderId: { title: 'Cainiao provider id' },
      cainiaoSecret: { title: 'Cainiao secret' },
      geocoder: { title: 'Geocoder', description: 'Finds the point of an address without coordinates, for local delivery by distance.' },
      geocoderApiKey: { title: 'Geocoder API key', description: 'For a Google-style geocoder.' },
      geocoderEmail: { title: 'Geocoder contact email', description: 'Sent to a Nominatim-style geocoder, as its usage policy asks.' },
    },
    'zh-CN': {
      shipFrom: { title: '发货地址', description: '包裹发出的地点（承运商运费与面单）。' },
      easypostApiKey: { title: 'EasyPost API 密钥' },
      easypostWebhookSecret: { title: 'EasyPost Webhook 密钥' },
      cainiaoProviderId: { title: '菜鸟物流商 ID' },
      cainiaoSecret: { title: '菜鸟密钥' },
      geocoder: { title: '地理编码服务', description: '为没有坐标的地址查找位置，用于按距离的同城配送。' },
      geocoderApiKey: { title: '地理编码 API 密钥', description: 'Google 风格的地理编码服务使用。' },
      geocoderEmail: { title: '地理编码联系邮箱', description: '按 Nominatim 风格服务的使用政策发送给它。' },
    },
    ja: {
      shipFrom: { title: '出荷元', description: '荷物の出荷場所（運送会社の運賃とラベル）。' },
      easypostApiKey: { title: 'EasyPost API キー' },
      easypostWebhookSecret: { title: 'EasyPost Webhook シークレット' },
      cainiaoProviderId: { title: 'Cainiao プロバイダー ID' },
      cainiaoSecret: { title: 'Cainiao シークレット' },
      geocoder: { title: 'ジオコーダー', description: '座標のない住所の位置を求めます（距離による地域配送）。' },
      geocoderApiKey: { title: 'ジオコーダー API キー', description: 'Google 形式のジオコーダー用。' },
      geocoderEmail: { title: 'ジオコーダー連絡先メール', description: 'Nominatim 形式のジオコーダーに、その利用規約に従って送ります。' },
    },
  },
});
