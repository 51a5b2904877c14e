import type { Kernel } from '../kernel.js';
import type { Message } from './notification.js';

/** Worker side of sendMail(): one job per message, retried with backoff by the queue. */
export function processNotifications(kernel: Kernel): void {
  kernel.queue.process('notification.send', 2, async (data) => {
    const { tenantId, requestId, message } = data as { tenantId: string | null; requestId: string; message: Message };
    await kernel.notifier.send(message, { tenantId, requestId });
  });
}
