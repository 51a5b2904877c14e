// The demo store's catalog: a few products with variants, prices in USD, EUR, CNY and JPY,
// English and Chinese text (one Japanese), categories and stock. Called by tenants/demo-seed.ts.
import type { Kernel } from '../kernel.js';
import { createSystemCtx, requireTenant } from '../context.js';
import { createCategory } from './category.service.js';
import { createProduct, type ProductInput } from './product.service.js';

type Prices = [usd: number, eur: number, cny: number, jpy: number];

const prices = ([usd, eur, cny, jpy]: Prices) => [
  { currency: 'USD', amount: usd },
  { currency: 'EUR', amount: eur },
  { currency: 'CNY', amount: cny },
  { currency: 'JPY', amount: jpy },
];

const image = (seed: string, alt: string) => ({ url: `https://picsum.photos/seed/${seed}/800/800`, alt });

export async function seedDemoProducts(kernel: Kernel, tenantId: string): Promise<number> {
  const tenant = await kernel.tenants.byId(tenantId);
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  const ctx = requireTenant(createSystemCtx(kernel, tenant, { actor: { type: 'system', name: 'seed' } }));
  const category = async (handle: string, en: string, zh: string, parentId?: string) =>
    (await createCategory(ctx, { handle, names: { en, 'zh-CN': zh }, parentId: parentId ?? null })).id;
  const electronics = await category('electronics', 'Electronics', '电子产品');
  const audio = await category('audio', 'Audio', '音频', electronics);
  const phones = await category('phones', 'Phones', '手机', electronics);
  const apparel = await category('apparel', 'Apparel', '服装');
  const home = await category('home-kitchen', 'Home & Kitchen', '家居厨房');
  const grocery = await category('grocery', 'Grocery', '食品');

  const products: ProductInput[] = [
    {
      status: 'active',
      translations: {
        en: { name: 'Aurora Wireless Earbuds', description: 'Noise-cancelling Bluetooth 5.3 earbuds with 30 hours of battery and a pocket-size charging case.' },
        'zh-CN': { name: '极光无线耳机', description: '主动降噪蓝牙 5.3 耳机，续航 30 小时，小巧充电盒。' },
      },
      attributes: { brand: 'Aurora', bluetooth: '5.3', batteryHours: 30 },
      images: [image('aurora-earbuds', 'Aurora earbuds in their case')],
      categoryIds: [audio],
      variants: [
        { sku: 'AUR-EB-BLK', options: { colour: 'Black' }, prices: prices([7999, 7499, 56900, 11800]), stock: 40 },
        { sku: 'AUR-EB-WHT', options: { colour: 'White' }, prices: prices([7999, 7499, 56900, 11800]), stock: 25 },
      ],
    },
    {
      status: 'active',
      translations: {
        en: { name: 'Nimbus Smartphone X', description: 'A 6.1-inch OLED smartphone with a 48 MP camera and all-day battery.' },
        'zh-CN': { name: '云端智能手机 X', description: '6.1 英寸 OLED 智能手机，4800 万像素相机，续航一整天。' },
      },
      attributes: { brand: 'Nimbus', screen: '6.1" OLED', camera: '48 MP' },
      images: [image('nimbus-phone', 'Nimbus Smartphone X, front and back')],
      categoryIds: [phones],
      variants: [
        { sku: 'NIM-X-128', options: { storage: '128 GB' }, prices: prices([69900, 64900, 499900, 99800]), stock: 12 },
        { sku: 'NIM-X-256', options: { storage: '256 GB' }, prices: prices([79900, 74900, 569900, 113800]), stock: 0 },
      ],
    },
    {
      status: 'active',
      translations: {
        en: { name: 'Linen Shirt', description: 'A breathable shirt in washed European linen, relaxed fit.' },
        'zh-CN': { name: '亚麻衬衫', description: '水洗欧洲亚麻面料，透气宽松版型。' },
      },
      attributes: { material: 'linen', fit: 'relaxed' },
      images: [image('linen-shirt', 'Linen shirt on a hanger')],
      categoryIds: [apparel],
      variants: ['S', 'M', 'L'].flatMap((size, i) =>
        ['Sand', 'Navy'].map((colour, j) => ({
          sku: `LIN-SH-${size}-${colour.toUpperCase()}`, options: { size, colour }, prices: prices([5900, 5500, 39900, 8900]), stock: 5 + i * 3 + j,
        })),
      ),
    },
    {
      status: 'active',
      translations: {
        en: { name: 'Merino Wool Beanie', description: 'Soft, warm and itch-free merino wool beanie.' },
        'zh-CN': { name: '美利奴羊毛帽', description: '柔软保暖、不扎皮肤的美利奴羊毛帽。' },
      },
      attributes: { material: ['merino wool'], care: 'hand wash' },
      images: [image('merino-beanie', 'Grey merino beanie')],
      categoryIds: [apparel],
      variants: [
        { sku: 'MER-BN-GRY', options: { colour: 'Grey' }, prices: prices([2900, 2700, 19900, 4200]), stock: 60 },
        { sku: 'MER-BN-RED', options: { colour: 'Red' }, prices: prices([2900, 2700, 19900, 4200]), stock: 8 },
      ],
    },
    {
      status: 'active',
      translations: {
        en: { name: 'Ceramic Pour-over Coffee Set', description: 'Hand-glazed ceramic dripper, server and two cups for slow coffee.' },
        'zh-CN': { name: '陶瓷手冲咖啡套装', description: '手工上釉的陶瓷滤杯、分享壶和两只杯子。' },
      },
      attributes: { material: 'ceramic', pieces: 4 },
      images: [image('pour-over', 'Ceramic pour-over set on a wooden table')],
      categoryIds: [home],
      variants: [{ sku: 'CER-PO-SET', prices: prices([4500, 4200, 32900, 6800]), stock: 15 }],
    },
    {
      status: 'active',
      translations: {
        en: { name: 'Uji Matcha Green Tea 100 g', description: 'Ceremonial-grade stone-ground matcha from Uji, Kyoto.' },
        'zh-CN': { name: '宇治抹茶绿茶 100 克', description: '京都宇治石磨礼仪级抹茶。' },
        ja: { name: '宇治抹茶 100g', description: '京都・宇治産の石臼挽き抹茶。お点前用。' },
      },
      attributes: { origin: 'Uji, Japan', weightGrams: 100 },
      images: [image('uji-matcha', 'A tin of matcha and a bamboo whisk')],
      categoryIds: [grocery],
      variants: [{ sku: 'UJI-MATCHA-100', prices: prices([2400, 2200, 16900, 3200]), stock: 30 }],
    },
  ];
  for (const p of products) await createProduct(ctx, p);
  return products.length;
}
