// The core's offline payment provider: bank transfer and cash on delivery. Nothing leaves the
// process: the shopper gets instructions, staff confirm the money arrived (an admin action that
// captures), and a refund is money staff pay back by hand, recorded here. Cash on delivery is
// authorized at placement (the store may ship before it is paid) and captured on delivery.
import type { TenantCtx } from '../context.js';
import { getCheckoutSettings } from './checkout-settings.service.js';
import type { PaymentProvider, PaymentResult } from './payment.provider.js';

export const OFFLINE_PROVIDER = 'offline';

export const offlinePaymentProvider: PaymentProvider = {
  id: OFFLINE_PROVIDER,

  async methods(ctx: TenantCtx) {
    const { offline } = (await getCheckoutSettings(ctx)).payment;
    const out = [];
    if (offline.bankTransfer.enabled) out.push({ id: 'bank_transfer', label: 'Bank transfer', description: offline.bankTransfer.instructions });
    if (offline.cashOnDelivery.enabled) out.push({ id: 'cash_on_delivery', label: 'Cash on delivery', description: offline.cashOnDelivery.instructions });
    return out;
  },

  async initiate(ctx, input): Promise<PaymentResult> {
    const { offline } = (await getCheckoutSettings(ctx)).payment;
    if (input.method === 'cash_on_delivery') {
      return { status: 'authorized', amount: input.amount, reference: `cod-${input.orderNumber}`, action: { type: 'instructions', text: offline.cashOnDelivery.instructions } };
    }
    return { status: 'pending', reference: `bt-${input.orderNumber}`, action: { type: 'instructions', text: offline.bankTransfer.instructions } };
  },

  async authorize(_ctx, input) {
    return { status: 'authorized', amount: input.amount };
  },

  async capture(_ctx, input) {
    return { status: 'captured', amount: input.amount };
  },

  async refund(_ctx, input) {
    return { status: 'refunded', amount: input.amount, reference: `manual-${input.idempotencyKey.slice(0, 40)}` };
  },

  async cancel() {
    return { status: 'cancelled' };
  },

  async status(_ctx, input) {
    if (input.refundedAmount > 0 && input.refundedAmount >= input.capturedAmount) return { status: 'refunded' };
    if (input.capturedAmount > 0) return { status: 'captured' };
    if (input.authorizedAmount > 0) return { status: 'authorized' };
    return { status: 'pending' };
  },
};
