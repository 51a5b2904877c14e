// After bench/orders.sh: do the books add up? Counts orders, compares reserved stock with the
// units ordered, and looks for carts closed without an order.
import { createKnex } from '../core/db/knex.js';

const db = createKnex(process.env.DATABASE_URL ?? '');
const [{ orders }] = (await db('orders').count({ orders: '*' })) as { orders: number }[];
const [{ units }] = (await db('order_lines').sum({ units: 'quantity' })) as { units: number }[];
const [{ reserved }] = (await db('stock_levels').sum({ reserved: 'reserved' })) as { reserved: number }[];
const [{ closed }] = (await db('carts').where('status', 'ordered').count({ closed: '*' })) as { closed: number }[];
const [{ events }] = (await db('outbox').where('type', 'order.placed').count({ events: '*' })) as { events: number }[];
// Numbers are per store (the bench has two): distinct pairs.
const [{ numbers }] = (await db.from(db('orders').distinct('tenant_id', 'number').as('n')).count({ numbers: '*' })) as { numbers: number }[];
console.log(`CHECK orders=${orders} units=${units} reserved=${reserved} carts_ordered=${closed} order.placed=${events} distinct_numbers=${numbers}`);
const ok = Number(units) === Number(reserved) && Number(closed) === Number(orders) && Number(events) === Number(orders) && Number(numbers) === Number(orders);
console.log(ok ? 'CHECK ok: every order reserved its units, closed its cart, wrote order.placed and has a number of its own' : 'CHECK FAILED');
await db.destroy();
process.exit(ok ? 0 : 1);
