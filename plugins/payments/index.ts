// Online payments: cards (Stripe), Alipay and WeChat Pay, each a `payment` provider that a store
// switches on and configures with its own keys. The core keeps the money rules (ceilings, one
// writer per payment, events applied once); this plugin speaks each gateway's protocol.
import { definePlugin } from '@bazaar/sdk';
import { settingsSchema } from './settings.js';
import { stripeProvider } from './stripe.provider.js';
import { alipayProvider } from './alipay.provider.js';
import { wechatProvider } from './wechatpay.provider.js';

export default definePlugin({
  name: 'payments',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Card (Stripe), Alipay and WeChat Pay gateways, configured per store',
  permissions: ['metrics:write'],
  settingsSchema,
  locales: new URL('./locales', import.meta.url),
  register(api) {
    api.provide('payment', stripeProvider(api));
    api.provide('payment', alipayProvider(api));
    api.provide('payment', wechatProvider(api));
  },
});
