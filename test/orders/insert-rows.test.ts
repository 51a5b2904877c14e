// insertMany() writes the order, payment, its initiation attempt, order lines, timeline entries,
// return and fulfilment lines as plain knex rows (issue 27), no longer through objection's model: the rows must be the
// very rows `Model.fromJson(props).$toDatabaseJson()` wrote (same columns, JSON text, Dates), and
// the models it returns the ones fromJson() made. Then the same through the database: a checkout's
// rows read back equal what objection reads of them.
import { expect } from 'chai';
import type { TenantModel } from '../../core/db/model.js';
import { scoped } from '../../core/db/model.js';
import { databaseRow, insertMany } from '../../core/orders/db.js';
import { FulfilmentLine, Order, OrderHistory, OrderLine, Payment, PaymentTransaction, ReturnLine } from '../../core/orders/order.model.js';
import { makeTenant } from '../support/factories.js';

const at = '2026-12-07T18:01:02.345Z';
const address = { name: 'Ada Shopper', line1: '1 Market Street', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' };

/** Props as the orders domain hands them to insertMany (after it adds id, times and tenant). */
const cases: [typeof TenantModel, Record<string, unknown>][] = [
  [Order, {
    id: '0193a0b0-0000-7000-8000-000000000001', createdAt: at, updatedAt: at, tenantId: 't-1',
    number: 1042, cartId: 'c-1', customerId: null, email: 'ada@example.com', locale: 'zh-CN', status: 'pending_payment', heldFrom: null, holdReason: null,
    paymentStatus: 'unpaid', currency: 'USD', baseCurrency: 'EUR', exchangeRate: '0.9213', exchangeRateSource: 'ecb', exchangeRateAsOf: '2026-12-06',
    taxMode: 'exclusive', taxRateBp: 825, subtotalAmount: 6000, adjustmentsAmount: -1000, shippingAmount: 600, taxAmount: 453, totalAmount: 6053,
    authorizedAmount: 0, paidAmount: 0, refundedAmount: 0,
    adjustments: [{ label: 'Coupon TEN «十»', amount: -1000, code: 'coupon:TEN' }],
    shippingAddress: address, billingAddress: { ...address, name: 'Bill "B" Payer' },
    shippingMethod: { provider: 'logistics', option: 'local-van', label: 'Van', amount: 600 },
    paymentProvider: 'offline', paymentMethod: 'bank_transfer', accessTokenHash: 'abc123', placedAt: at, paidAt: null, cancelledAt: null, completedAt: null,
  }],
  [Payment, {
    id: 'p-1', createdAt: at, updatedAt: at, tenantId: 't-1', orderId: 'o-1', provider: 'offline', method: 'bank_transfer', status: 'pending', currency: 'USD',
    amount: 6053, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0, reference: null, action: null,
  }],
  [Payment, { id: 'p-2', createdAt: at, updatedAt: at, tenantId: 't-1', orderId: 'o-1', provider: 'card', method: 'card', status: 'requires_action', currency: 'JPY', amount: 1200, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0, reference: 'pi_1', action: { type: 'redirect', url: 'https://example.com/3ds' } }],
  [OrderLine, {
    id: 'l-1', createdAt: at, updatedAt: at, tenantId: 't-1', orderId: 'o-1', position: 0, variantId: 'v-1', productId: 'pr-1', sku: 'SKU-1', title: '茶碗', options: { color: 'blue', size: 'M' }, quantity: 3,
    locationId: 'loc-1', unitAmount: 2000, subtotalAmount: 6000, adjustmentAmount: -1000, taxAmount: 453, totalAmount: 5453, fulfilledQuantity: 0, shippedQuantity: 0, returnedQuantity: 0,
  }],
  [OrderLine, { id: 'l-2', createdAt: at, updatedAt: at, tenantId: 't-1', orderId: 'o-1', position: 1, variantId: 'v-2', productId: 'pr-2', sku: 'SKU-2', title: 'Cup', options: {}, quantity: 1, locationId: 'loc-1', unitAmount: 0, subtotalAmount: 0, adjustmentAmount: 0, taxAmount: 0, totalAmount: 0, fulfilledQuantity: 0, shippedQuantity: 0, returnedQuantity: 0 }],
  [OrderHistory, {
    id: 'h-1', createdAt: at, tenantId: 't-1', orderId: 'o-1', kind: 'placed', fromStatus: null, toStatus: 'pending_payment', message: 'Order placed (3 lines)',
    messageKey: 'placed', messageVars: { count: 3 }, data: null, actorType: 'guest', actorId: null,
  }],
  [OrderHistory, { id: 'h-2', createdAt: at, tenantId: 't-1', orderId: 'o-1', kind: 'review', fromStatus: null, toStatus: null, message: 'x', messageKey: null, messageVars: null, data: { hook: 'checkout.review', source: 'fraud', failure: 'timeout', nested: [1, 'two', null] }, actorType: 'system', actorId: 'system' }],
  // A payment's initiation attempt: open with the payer a replay needs, or written closed with the order (an in-process provider).
  [PaymentTransaction, { id: 'pt-1', createdAt: at, updatedAt: at, tenantId: 't-1', paymentId: 'p-1', kind: 'initiate', status: 'pending', amount: 6053, idempotencyKey: 'initiate:p-1', reference: null, payer: { openid: 'o-微信-1' }, actorType: 'guest', actorId: null }],
  [PaymentTransaction, { id: 'pt-2', createdAt: at, updatedAt: at, tenantId: 't-1', paymentId: 'p-2', kind: 'initiate', status: 'succeeded', amount: 1200, idempotencyKey: 'initiate:p-2', reference: 'bt-1042', payer: null, actorType: 'system', actorId: 'system' }],
  [ReturnLine, { id: 'r-1', tenantId: 't-1', returnId: 'ret-1', orderLineId: 'l-1', quantity: 2 }],
  [FulfilmentLine, { id: 'f-1', tenantId: 't-1', fulfilmentId: 'ful-1', orderLineId: 'l-1', quantity: 1 }],
];

describe('insertMany: the rows objection wrote, without its model (issue 27)', () => {
  for (const [model, props] of cases) {
    it(`${model.name} ${String(props.id)}: the same columns, JSON text and dates as fromJson().$toDatabaseJson()`, () => {
      const objection = model.fromJson(structuredClone(props), { skipValidation: true }).$toDatabaseJson();
      const ours = databaseRow(model, structuredClone(props));
      // The order of the keys is not compared: knex names an insert's columns in sorted order.
      expect(Object.keys(ours).sort()).to.deep.equal(Object.keys(objection).sort());
      expect(ours).to.deep.equal(objection);
      for (const [column, value] of Object.entries(objection)) {
        if (value instanceof Date) expect((ours[column] as Date).toISOString(), column).to.equal(value.toISOString());
      }
    });
  }

  it('leaves out undefined values, keeps nulls, and writes a JSON attribute given as a string as JSON text, as objection does', () => {
    const props = { id: 'l-9', tenantId: 't-1', orderId: 'o-1', sku: undefined, title: null, options: 'blue', quantity: 1, createdAt: at };
    const objection = OrderLine.fromJson({ ...props }, { skipValidation: true }).$toDatabaseJson();
    expect(databaseRow(OrderLine, { ...props })).to.deep.equal(objection);
    expect(objection).to.include({ options: '"blue"', title: null }).and.not.have.property('sku');
  });

  it('through the database: writes rows that read back as the rows objection wrote, and returns the models fromJson() made', async () => {
    const { ctx } = await makeTenant();
    // The second row, written the old way, differs where the table wants a value of its own (a unique column).
    const ownOf = (name: string, given: Record<string, unknown>): Record<string, unknown> =>
      name === 'Order' ? { number: 2042, cartId: 'c-2' } : name === 'PaymentTransaction' ? { idempotencyKey: `${String(given.idempotencyKey)}-old` } : {};
    for (const [model, given] of cases) {
      // What insertMany adds itself (id, tenant, and the times of a model that has both) is left to it.
      const { id: _id, tenantId: _t, ...given2 } = given;
      const own = ownOf(model.name, given);
      const rest = model.timestamps ? (({ createdAt: _c, updatedAt: _u, ...r }) => r)(given2) : given2;
      const [made] = (await insertMany(ctx, model, [structuredClone(rest)])) as unknown as (TenantModel & { id: string; createdAt?: string; updatedAt?: string })[];
      const times = model.timestamps ? { createdAt: made.createdAt, updatedAt: made.updatedAt } : {};
      const expected = model.fromJson({ id: made.id, ...times, ...structuredClone(rest), tenantId: ctx.tenant.id }, { skipValidation: true });
      expect(made, `${model.name}: the model returned`).to.be.instanceOf(model);
      expect(made, `${model.name}: the model returned`).to.deep.equal(expected);
      const oldId = `${made.id.slice(0, -4)}beef`;
      const old = model.fromJson({ id: oldId, ...times, ...structuredClone(rest), ...own, tenantId: ctx.tenant.id }, { skipValidation: true });
      await ctx.db(model.tableName).insert(old.$toDatabaseJson());
      const read = (await scoped(ctx, model).findById(made.id)) as unknown as Record<string, unknown>;
      const readOld = (await scoped(ctx, model).findById(oldId)) as unknown as Record<string, unknown>;
      expect(read, `${model.name}: read back`).to.not.equal(undefined);
      expect({ ...read, id: null, ...own }, `${model.name}: the row read back`).to.deep.equal({ ...readOld, id: null });
    }
  });
});
