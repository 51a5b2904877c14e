// Cart, checkout, orders and after-sales (issue 4). Every table is tenant-owned with tenant_id
// first in its key and in every index. Money is BIGINT minor units next to a char(3) currency;
// an order copies every price, rate and total it was placed with, so later catalog or tax
// changes never rewrite history.
import type { Knex } from 'knex';
import { tenantKey, timestamps } from '../schema.js';

function money(t: Knex.CreateTableBuilder, name: string): void {
  t.bigInteger(name).notNullable().defaultTo(0);
}

function actor(t: Knex.CreateTableBuilder): void {
  t.string('actor_type', 16).notNullable();
  t.string('actor_id', 64).nullable();
}

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('carts', (t) => {
    tenantKey(t);
    t.string('customer_id', 36).nullable();
    /** sha256 of the guest cart token; null for a customer's cart. */
    t.string('token_hash', 64).nullable();
    t.string('status', 16).notNullable();
    t.string('currency', 3).notNullable();
    t.string('email', 254).nullable();
    t.json('shipping_address').nullable();
    t.json('billing_address').nullable();
    t.string('shipping_provider', 64).nullable();
    t.string('shipping_option', 64).nullable();
    t.string('payment_provider', 64).nullable();
    t.string('payment_method', 64).nullable();
    /** Bumped by every change: checkout places exactly the cart it priced. */
    t.integer('version').notNullable().defaultTo(0);
    t.string('order_id', 36).nullable();
    t.string('merged_into', 36).nullable();
    timestamps(t);
    t.index(['tenant_id', 'customer_id', 'status'], 'carts_customer_idx');
  });

  await db.schema.createTable('cart_lines', (t) => {
    tenantKey(t);
    t.string('cart_id', 36).notNullable();
    t.string('variant_id', 36).notNullable();
    t.integer('quantity').notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'cart_id', 'variant_id'], { indexName: 'cart_lines_variant_uq' });
  });

  // Order numbers per tenant (#1001, #1002, ...), taken in a short transaction of their own so
  // the counter row is never held while an order's stock is taken.
  await db.schema.createTable('order_sequences', (t) => {
    t.string('tenant_id', 36).notNullable().primary();
    t.integer('last_number').notNullable();
  });

  await db.schema.createTable('orders', (t) => {
    tenantKey(t);
    t.integer('number').notNullable();
    t.string('cart_id', 36).notNullable();
    t.string('customer_id', 36).nullable();
    t.string('email', 254).notNullable();
    t.string('locale', 16).notNullable();
    t.string('status', 24).notNullable();
    /** The state an order was in when put on hold; release returns it there. */
    t.string('held_from', 24).nullable();
    t.string('hold_reason', 500).nullable();
    t.string('payment_status', 24).notNullable();
    t.string('currency', 3).notNullable();
    /** The store's default currency and the rate (units of `currency` per base unit) locked at checkout. */
    t.string('base_currency', 3).notNullable();
    t.string('exchange_rate', 32).nullable();
    t.string('tax_mode', 16).notNullable();
    t.integer('tax_rate_bp').notNullable();
    money(t, 'subtotal_amount');
    money(t, 'adjustments_amount');
    money(t, 'shipping_amount');
    money(t, 'tax_amount');
    money(t, 'total_amount');
    money(t, 'authorized_amount');
    money(t, 'paid_amount');
    money(t, 'refunded_amount');
    t.json('adjustments').notNullable();
    t.json('shipping_address').notNullable();
    t.json('billing_address').notNullable();
    t.json('shipping_method').notNullable();
    t.string('payment_provider', 64).notNullable();
    t.string('payment_method', 64).notNullable();
    /** sha256 of the token a guest uses to follow the order. */
    t.string('access_token_hash', 64).notNullable();
    t.datetime('placed_at', { precision: 3 }).notNullable();
    t.datetime('paid_at', { precision: 3 }).nullable();
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.datetime('completed_at', { precision: 3 }).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'number'], { indexName: 'orders_number_uq' });
    // One order per cart, whatever reaches the database.
    t.unique(['tenant_id', 'cart_id'], { indexName: 'orders_cart_uq' });
    t.index(['tenant_id', 'status', 'id'], 'orders_status_idx');
    t.index(['tenant_id', 'customer_id', 'id'], 'orders_customer_idx');
    t.index(['tenant_id', 'placed_at'], 'orders_placed_idx');
  });

  await db.schema.createTable('order_lines', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.integer('position').notNullable();
    t.string('variant_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.string('sku', 100).notNullable();
    t.string('title', 300).notNullable();
    t.json('options').notNullable();
    t.integer('quantity').notNullable();
    /** Where the stock was reserved; fulfilment, cancellation and restocking use the same row. */
    t.string('location_id', 36).notNullable();
    money(t, 'unit_amount');
    money(t, 'subtotal_amount');
    /** This line's share of the order's adjustments and tax, so partial refunds add up exactly. */
    money(t, 'adjustment_amount');
    money(t, 'tax_amount');
    money(t, 'total_amount');
    /** Units packed into fulfilments, units handed to a carrier, units claimed by returns not rejected. */
    t.integer('fulfilled_quantity').notNullable().defaultTo(0);
    t.integer('shipped_quantity').notNullable().defaultTo(0);
    t.integer('returned_quantity').notNullable().defaultTo(0);
    timestamps(t);
    t.index(['tenant_id', 'order_id', 'position'], 'order_lines_order_idx');
  });

  await db.schema.createTable('order_history', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('kind', 24).notNullable();
    t.string('from_status', 24).nullable();
    t.string('to_status', 24).nullable();
    t.string('message', 1000).nullable();
    t.json('data').nullable();
    actor(t);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'order_id', 'id'], 'order_history_order_idx');
  });

  await db.schema.createTable('payments', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('provider', 64).notNullable();
    t.string('method', 64).notNullable();
    t.string('status', 24).notNullable();
    t.string('currency', 3).notNullable();
    money(t, 'amount');
    money(t, 'authorized_amount');
    money(t, 'captured_amount');
    money(t, 'refunded_amount');
    t.string('reference', 200).nullable();
    t.json('action').nullable();
    timestamps(t);
    t.index(['tenant_id', 'order_id'], 'payments_order_idx');
    t.index(['tenant_id', 'provider', 'reference'], 'payments_reference_idx');
  });

  // Every call made to a provider about a payment, keyed by its idempotency key: a retried
  // capture or refund finds its first attempt instead of charging twice.
  await db.schema.createTable('payment_transactions', (t) => {
    tenantKey(t);
    t.string('payment_id', 36).notNullable();
    t.string('kind', 16).notNullable();
    t.string('status', 16).notNullable();
    money(t, 'amount');
    t.string('idempotency_key', 200).notNullable();
    t.string('reference', 200).nullable();
    actor(t);
    timestamps(t);
    t.unique(['tenant_id', 'idempotency_key'], { indexName: 'payment_tx_key_uq' });
    t.index(['tenant_id', 'payment_id'], 'payment_tx_payment_idx');
  });

  // Provider webhook events already applied: (tenant, provider, event id) is seen once.
  await db.schema.createTable('payment_webhook_events', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('provider', 64).notNullable();
    t.string('event_id', 191).notNullable();
    t.string('payment_id', 36).nullable();
    t.string('type', 32).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'provider', 'event_id']);
  });

  await db.schema.createTable('fulfilments', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('status', 16).notNullable();
    actor(t);
    timestamps(t);
    t.index(['tenant_id', 'order_id'], 'fulfilments_order_idx');
  });

  await db.schema.createTable('fulfilment_lines', (t) => {
    tenantKey(t);
    t.string('fulfilment_id', 36).notNullable();
    t.string('order_line_id', 36).notNullable();
    t.integer('quantity').notNullable();
    t.index(['tenant_id', 'fulfilment_id'], 'fulfilment_lines_idx');
  });

  await db.schema.createTable('shipments', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('fulfilment_id', 36).notNullable();
    t.string('carrier', 64).notNullable();
    t.string('tracking_number', 100).notNullable();
    t.string('tracking_url', 500).nullable();
    t.string('status', 16).notNullable();
    t.datetime('shipped_at', { precision: 3 }).notNullable();
    t.datetime('delivered_at', { precision: 3 }).nullable();
    actor(t);
    timestamps(t);
    t.index(['tenant_id', 'order_id'], 'shipments_order_idx');
    t.index(['tenant_id', 'carrier', 'tracking_number'], 'shipments_tracking_idx');
  });

  await db.schema.createTable('returns', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('customer_id', 36).nullable();
    t.string('status', 16).notNullable();
    t.string('reason', 32).notNullable();
    t.string('note', 1000).nullable();
    t.string('staff_note', 1000).nullable();
    t.string('currency', 3).notNullable();
    money(t, 'refund_amount');
    t.boolean('restocked').notNullable().defaultTo(false);
    t.datetime('approved_at', { precision: 3 }).nullable();
    t.datetime('rejected_at', { precision: 3 }).nullable();
    t.datetime('received_at', { precision: 3 }).nullable();
    t.datetime('refunded_at', { precision: 3 }).nullable();
    timestamps(t);
    t.index(['tenant_id', 'order_id'], 'returns_order_idx');
    t.index(['tenant_id', 'status', 'id'], 'returns_status_idx');
  });

  await db.schema.createTable('return_lines', (t) => {
    tenantKey(t);
    t.string('return_id', 36).notNullable();
    t.string('order_line_id', 36).notNullable();
    t.integer('quantity').notNullable();
    t.index(['tenant_id', 'return_id'], 'return_lines_idx');
  });

  await db.schema.createTable('refunds', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('payment_id', 36).notNullable();
    t.string('return_id', 36).nullable();
    t.string('status', 16).notNullable();
    t.string('currency', 3).notNullable();
    money(t, 'amount');
    t.string('reason', 500).nullable();
    t.string('reference', 200).nullable();
    actor(t);
    timestamps(t);
    t.index(['tenant_id', 'order_id'], 'refunds_order_idx');
  });

  // Per-tenant checkout settings: flat-rate shipping and the offline payment methods.
  await db.schema.createTable('checkout_settings', (t) => {
    t.string('tenant_id', 36).notNullable().primary();
    t.json('shipping').notNullable();
    t.json('payment').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of [
    'checkout_settings', 'refunds', 'return_lines', 'returns', 'shipments', 'fulfilment_lines', 'fulfilments',
    'payment_webhook_events', 'payment_transactions', 'payments', 'order_history', 'order_lines', 'orders',
    'order_sequences', 'cart_lines', 'carts',
  ]) {
    await db.schema.dropTableIfExists(table);
  }
}
