// The webhooks plugin's console page: endpoints and their delivery log with replay.
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: 'webhooks',
  pages: [{ path: 'deliveries', label: { en: 'Webhooks', 'zh-CN': 'Webhook 回调', ja: 'Webhook' }, permission: 'webhooks:read', load: () => import('./WebhooksPage') }],
});
