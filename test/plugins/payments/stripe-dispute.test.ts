// A Stripe chargeback (`charge.dispute.created`) becomes the core's `disputed` action, found by the
// intent it names (the core applies it only to a payment of the store, and emits payment.disputed).
import { expect } from 'chai';
import Stripe from 'stripe';
import { parseStripeEvent } from '../../../plugins/payments/stripe.provider.js';

describe('parseStripeEvent: charge.dispute.created', () => {
  const secret = 'whsec_dispute_secret';
  const at = 1700000000;
  const sign = (payload: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: at });

  it('maps a dispute to `disputed` with the intent, the amount in minor units and the dispute id and reason', () => {
    const payload = JSON.stringify({ id: 'evt_dp', object: 'event', type: 'charge.dispute.created', data: { object: { id: 'dp_123', object: 'dispute', amount: 1999, currency: 'usd', charge: 'ch_1', payment_intent: 'pi_42', reason: 'fraudulent', status: 'needs_response' } } });
    expect(parseStripeEvent('t1', payload, sign(payload), [secret], at * 1000)).to.deep.equal({
      id: 'evt_dp',
      actions: [{ id: 'evt_dp', action: 'disputed', paymentId: null, reference: 'pi_42', amount: 1999, dispute: { reference: 'dp_123', reason: 'fraudulent' } }],
    });
  });

  it('a dispute that names no intent, or another dispute event, is nothing', () => {
    const none = JSON.stringify({ id: 'evt_dp2', object: 'event', type: 'charge.dispute.created', data: { object: { id: 'dp_2', object: 'dispute', amount: 100, currency: 'usd', charge: 'ch_2', payment_intent: null, reason: 'general' } } });
    expect(parseStripeEvent('t1', none, sign(none), [secret], at * 1000).actions).to.deep.equal([]);
    const closed = JSON.stringify({ id: 'evt_dp3', object: 'event', type: 'charge.dispute.closed', data: { object: { id: 'dp_3', object: 'dispute', amount: 100, currency: 'usd', payment_intent: 'pi_1', reason: 'general' } } });
    expect(parseStripeEvent('t1', closed, sign(closed), [secret], at * 1000).actions).to.deep.equal([]);
  });
});
