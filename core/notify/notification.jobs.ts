import type { Kernel } from '../kernel.js';
import { createSystemCtx, requireTenant } from '../context.js';
import type { Message } from './notification.js';

/**
 * Worker side of sendMail(): one job per message, retried with backoff by the queue. A store
 * whose enabled plugins provide a `notification` provider sends through the first of them;
 * otherwise the core's (SMTP when configured, else the log).
 */
export function processNotifications(kernel: Kernel): void {
  kernel.queue.process('notification.send', 2, async (data) => {
    const { tenantId, requestId, message } = data as { tenantId: string | null; requestId: string; message: Message };
    const tenant = tenantId ? await kernel.tenants.byId(tenantId) : null;
    const [own] = tenant ? await kernel.extensions.providers(requireTenant(createSystemCtx(kernel, tenant, { requestId })), 'notification') : [];
    await (own ?? kernel.notifier).send(message, { tenantId, requestId });
  });
}
