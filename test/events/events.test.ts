import { expect } from 'chai';
import { runtime } from '../support/runtime.js';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { withTransaction, type TenantCtx } from '../../core/context.js';
import { scoped } from '../../core/db/model.js';
import { emitEvent } from '../../core/events/emit.js';
import { OutboxEvent, HandledEvent } from '../../core/events/event.model.js';
import { runSubscriberJob, EVENTS_QUEUE } from '../../core/events/runner.js';
import { isEventType } from '../../core/events/event.types.js';
import { runOnce } from '../../core/events/once.js';
import { newId } from '../../core/db/ids.js';
import { waitFor, sleep } from './helpers.js';

/** What a subscriber did, counted from the rows it wrote: its effect is an `echo.recorded` event. */
async function echoes(ctx: TenantCtx, of: string): Promise<number> {
  const rows = await scoped(ctx, OutboxEvent).where('type', 'echo.recorded');
  return rows.filter((r) => r.payload.of === of).length;
}

describe('domain events (outbox, relay, subscribers)', () => {
  let shop: TestTenant;
  let other: TestTenant;
  const seen: { subscriber: string; tenantId: string; type: string; requestId: string; ctxTenant: string }[] = [];
  let failuresLeft = 0;

  before(async () => {
    const rt = await runtime();
    shop = await makeTenant();
    other = await makeTenant();
    rt.kernel.events.subscribe({
      name: 'eventsTest.echo',
      events: ['drill.started', 'drill.retried'],
      attempts: 5,
      backoffMs: 20,
      async handle(ctx, event) {
        seen.push({ subscriber: 'echo', tenantId: event.tenantId, type: event.type, requestId: ctx.requestId, ctxTenant: ctx.tenant.id });
        // The effect is written first, then the handler may fail: the effect must roll back with it.
        await emitEvent(ctx, 'echo.recorded', { of: event.id });
        if (event.type === 'drill.retried' && failuresLeft-- > 0) throw new Error('transient failure');
      },
    });
    rt.kernel.events.subscribe({
      name: 'eventsTest.domainWide',
      events: ['drill.*'],
      async handle(ctx, event) {
        seen.push({ subscriber: 'domainWide', tenantId: event.tenantId, type: event.type, requestId: ctx.requestId, ctxTenant: ctx.tenant.id });
      },
    });
  });

  it('names events domain.pastTense and refuses other names', async () => {
    for (const ok of ['order.placed', 'order.paid', 'return.requested', 'merchant.approved', 'webhooks.endpointDisabled', 'payments-stripe.chargeSucceeded']) expect(isEventType(ok), ok).to.equal(true);
    for (const bad of ['order', 'Order.placed', 'order.place', 'order.placing', 'order placed', 'order.', '.placed']) expect(isEventType(bad), bad).to.equal(false);
    let err: Error | undefined;
    try {
      await emitEvent(shop.ctx, 'order.place', {});
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/domain\.pastTense/);
  });

  it('delivers a committed event once to each matching subscriber, with a fresh ctx of its tenant', async () => {
    const id = await withTransaction(shop.ctx, (trx) => emitEvent({ ...trx, requestId: 'req-events-1' }, 'drill.started', { n: 1 }));
    await waitFor(async () => (await echoes(shop.ctx, id)) === 1, { what: 'the echo subscriber' });
    await waitFor(() => seen.some((s) => s.subscriber === 'domainWide' && s.type === 'drill.started'), { what: 'the drill.* subscriber' });
    const mine = seen.filter((s) => s.type === 'drill.started');
    expect(mine.map((s) => s.subscriber).sort()).to.deep.equal(['domainWide', 'echo']);
    for (const s of mine) expect(s).to.include({ tenantId: shop.tenant.id, ctxTenant: shop.tenant.id, requestId: 'req-events-1' });
    const row = await scoped(shop.ctx, OutboxEvent).findById(id);
    expect(row!.relayedAt).to.be.a('string');
    expect(row!.actor).to.equal('system:system');
    const receipts = await scoped(shop.ctx, HandledEvent).where('event_id', id);
    expect(receipts.map((r) => r.subscriber).sort()).to.deep.equal(['eventsTest.domainWide', 'eventsTest.echo']);
  });

  it('writes nothing and delivers nothing when the caller rolls back', async () => {
    let id = '';
    try {
      await withTransaction(shop.ctx, async (trx) => {
        id = await emitEvent(trx, 'drill.started', { n: 2 });
        throw new Error('the change failed');
      });
    } catch {
      /* expected */
    }
    await sleep(200);
    expect(await scoped(shop.ctx, OutboxEvent).findById(id)).to.equal(undefined);
    expect(await echoes(shop.ctx, id)).to.equal(0);
  });

  it('retries a failing subscriber with backoff, and its effect happens once', async () => {
    failuresLeft = 2;
    const id = await emitEvent(shop.ctx, 'drill.retried', {});
    await waitFor(async () => (await echoes(shop.ctx, id)) === 1, { what: 'the retried subscriber to succeed' });
    expect(seen.filter((s) => s.subscriber === 'echo' && s.type === 'drill.retried').length).to.equal(3);
    await sleep(100);
    expect(await echoes(shop.ctx, id)).to.equal(1);
  });

  it('a job delivered twice has no second effect', async () => {
    const rt = await runtime();
    const id = await emitEvent(shop.ctx, 'drill.started', { n: 3 });
    await waitFor(async () => (await echoes(shop.ctx, id)) === 1, { what: 'first delivery' });
    const job = { tenantId: shop.tenant.id, eventId: id, type: 'drill.started', requestId: 'again', subscriber: 'eventsTest.echo' };
    const outcomes = await Promise.all([runSubscriberJob(rt.kernel, rt.kernel.events, job), runSubscriberJob(rt.kernel, rt.kernel.events, job)]);
    expect(outcomes).to.deep.equal(['duplicate', 'duplicate']);
    await rt.kernel.queue.add(EVENTS_QUEUE, job, { jobId: `${id}:again` });
    await sleep(200);
    expect(await echoes(shop.ctx, id)).to.equal(1);
  });

  it('keeps tenants apart: a subscriber sees each event in its own tenant only', async () => {
    const a = await emitEvent(shop.ctx, 'drill.started', { who: 'a' });
    const b = await emitEvent(other.ctx, 'drill.started', { who: 'b' });
    await waitFor(async () => (await echoes(shop.ctx, a)) === 1 && (await echoes(other.ctx, b)) === 1, { what: 'both tenants' });
    expect(await echoes(shop.ctx, b)).to.equal(0);
    expect(await echoes(other.ctx, a)).to.equal(0);
    expect(await scoped(shop.ctx, OutboxEvent).findById(b)).to.equal(undefined);
  });

  it('the poll relays a committed event whose kick never happened', async () => {
    const rt = await runtime();
    // Written straight to the outbox, as if the process died between commit and kick.
    const row = await scoped(shop.ctx, OutboxEvent).insert({ id: '01900000-0000-7000-8000-000000000001', type: 'drill.started', payload: {}, requestId: 'lost-kick', actor: null, createdAt: new Date().toISOString(), relayedAt: null });
    await rt.kernel.events.relayPending();
    await waitFor(async () => (await echoes(shop.ctx, row.id)) === 1, { what: 'the polled event' });
    expect((await scoped(shop.ctx, OutboxEvent).findById(row.id))!.relayedAt).to.be.a('string');
  });

  it('queues again the jobs of an event marked relayed that the queue lost (a Redis failover, a restart), and no others', async () => {
    const rt = await runtime();
    const relayedAt = new Date(Date.now() - 1000).toISOString();
    // As the relay leaves a row whose jobs Redis then lost: marked relayed, no job, no receipt.
    const lost = await scoped(shop.ctx, OutboxEvent).insert({ id: newId(), type: 'drill.started', payload: {}, requestId: 'lost-job', actor: null, createdAt: relayedAt, relayedAt });
    // Relayed and handled by both subscribers: nothing to do.
    const handled = await scoped(shop.ctx, OutboxEvent).insert({ id: newId(), type: 'drill.started', payload: {}, requestId: 'handled', actor: null, createdAt: relayedAt, relayedAt });
    for (const subscriber of ['eventsTest.echo', 'eventsTest.domainWide']) await scoped(shop.ctx, HandledEvent).insert({ subscriber, eventId: handled.id, handledAt: relayedAt });
    const requeued = await rt.kernel.events.recheckRelayed(500);
    expect(requeued, 'jobs queued again').to.be.at.least(2);
    await waitFor(async () => (await echoes(shop.ctx, lost.id)) === 1, { what: 'the lost event handled' });
    await waitFor(() => seen.some((s) => s.subscriber === 'domainWide' && s.requestId === 'lost-job'), { what: 'the drill.* subscriber' });
    await sleep(200);
    expect(await echoes(shop.ctx, handled.id), 'an event already handled is not run again').to.equal(0);
    // Each relayed event is looked at once: a second pass over the same window queues nothing of it.
    await rt.kernel.events.recheckRelayed(500);
    await sleep(200);
    expect(await echoes(shop.ctx, lost.id)).to.equal(1);
    expect(seen.filter((s) => s.requestId === 'lost-job').length).to.equal(2);
  });

  it('refuses a subscriber without events, with a bad name, or registered twice', async () => {
    const rt = await runtime();
    const handle = async () => undefined;
    expect(() => rt.kernel.events.subscribe({ name: 'eventsTest.none', events: [], handle })).to.throw(/no events/);
    expect(() => rt.kernel.events.subscribe({ name: 'no dots', events: ['drill.started'], handle })).to.throw(/must look like/);
    expect(() => rt.kernel.events.subscribe({ name: 'eventsTest.echo', events: ['drill.started'], handle })).to.throw(/twice/);
  });

  it('runOnce runs work once per key, even when called twice at the same time', async () => {
    let runs = 0;
    const work = () => runOnce(shop.ctx, 'eventsTest.provider', 'evt_123', async () => ++runs);
    const results = await Promise.all([work(), work(), work()]);
    expect(results.filter((r) => r.done).length).to.equal(1);
    expect(runs).to.equal(1);
  });
});
