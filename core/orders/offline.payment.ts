// The core's offline payment provider: bank transfer and cash on delivery. Nothing leaves the
// process: the shopper gets instructions, staff confirm the money arrived (an admin action that
// captures), and a refund is money staff pay back by hand, recorded here. Cash on delivery is
// authorized at placement (the store may ship before it is paid) and captured on delivery.
import type { TenantCtx } from '../context.js';
import { getCheckoutSettings } from './checkout-settings.service.js';
import { PaymentRefusedError, type PaymentProvider, type PaymentResult } from './payment.provider.js';

export const OFFLINE_PROVIDER = 'offline';

export const offlinePaymentProvider: PaymentProvider = {
  id: OFFLINE_PROVIDER,
  // Instructions only: checkout starts these payments with the order, in its transaction.
  inProcess: true,

  async methods(ctx: TenantCtx) {
    const { offline } = (await getCheckoutSettings(ctx)).payment;
    const out = [];
    if (offline.bankTransfer.enabled) out.push({ id: 'bank_transfer', label: 'Bank transfer', description: offline.bankTransfer.instructions });
    if (offline.cashOnDelivery.enabled) out.push({ id: 'cash_on_delivery', label: 'Cash on delivery', description: offline.cashOnDelivery.instructions });
    return out;
  },

  async initiate(ctx, { data, context }): Promise<PaymentResult> {
    const { offline } = (await getCheckoutSettings(ctx)).payment;
    if (data.method === 'cash_on_delivery') {
      return { status: 'authorized', amount: data.amount, reference: `cod-${context.orderNumber}`, action: { type: 'instructions', text: offline.cashOnDelivery.instructions } };
    }
    return { status: 'pending', reference: `bt-${context.orderNumber}`, action: { type: 'instructions', text: offline.bankTransfer.instructions } };
  },

  async update(_ctx, { data }) {
    // Nothing was sent anywhere: the instructions name no amount.
    if (data.capturedAmount > 0) throw new PaymentRefusedError('PAYMENT_UPDATE_NOT_POSSIBLE', 'Money was already received on this payment');
    return { status: data.authorizedAmount > 0 ? 'authorized' : 'pending', amount: data.newAmount };
  },

  async authorize(_ctx, { data }) {
    return { status: 'authorized', amount: data.authorizeAmount };
  },

  async capture(_ctx, { data }) {
    return { status: 'captured', amount: data.captureAmount ?? data.authorizedAmount - data.capturedAmount };
  },

  async refund(_ctx, { data, context }) {
    return { status: 'refunded', amount: data.refundAmount, reference: `manual-${context.idempotencyKey.slice(0, 40)}` };
  },

  async cancel() {
    return { status: 'canceled' };
  },

  async getStatus(_ctx, { data }) {
    if (data.capturedAmount > 0) return { status: 'captured', amount: data.capturedAmount };
    if (data.authorizedAmount > 0) return { status: 'authorized', amount: data.authorizedAmount };
    return { status: 'pending' };
  },
};
