// The event bus of one process: who subscribes to what, and the two moving parts that carry
// events from the outbox to them: the relay (outbox -> queue) and the runner (queue -> subscriber).
import type { Kernel } from '../kernel.js';
import type { Tenant } from '../context.js';
import { matchesEvent, EVENT_TYPE, type Subscriber, type SubscriberSpec } from './event.types.js';
import { Relay } from './relay.js';
import { runSubscriberJob, EVENTS_QUEUE, type EventJob } from './runner.js';

export interface EventBusOptions {
  /** How often a worker looks for committed events the kick missed (Redis down, a crash). */
  pollMs: number;
  /** Rows per relay pass. */
  batch: number;
  /** A queue add that takes longer counts as failed; the row stays and the poll retries it. */
  enqueueTimeoutMs: number;
  /** Subscriber jobs run at once per process. */
  concurrency: number;
  /** How long after its relay an event is rechecked for a job the queue lost. */
  recheckAfterMs: number;
  /** How far back a starting process rechecks relayed events. */
  recheckLookbackMs: number;
}

const DEFAULTS: EventBusOptions = { pollMs: 1000, batch: 200, enqueueTimeoutMs: 2000, concurrency: 4, recheckAfterMs: 30_000, recheckLookbackMs: 15 * 60_000 };
const NAME = /^[a-z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+$/;

export class EventBus {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly relay: Relay;
  private consuming = false;
  options: EventBusOptions = { ...DEFAULTS };
  /** Set by the plugin host: whether the plugin `source` is on for a tenant. Core subscribers always run. */
  gate?: (tenantId: string, source: string) => Promise<boolean>;

  constructor(private readonly kernel: Kernel) {
    this.relay = new Relay(kernel, this);
  }

  configure(options: Partial<EventBusOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Adds a subscriber; names are unique (`orders.reserveStock`, `webhooks.fanOut`). */
  subscribe(spec: SubscriberSpec, source = 'core'): void {
    if (!NAME.test(spec.name) || spec.name.length > 100) throw new Error(`subscriber name "${spec.name}" must look like <area>.<name> (at most 100 characters)`);
    if (this.subscribers.has(spec.name)) throw new Error(`subscriber "${spec.name}" is registered twice`);
    if (!spec.events.length) throw new Error(`subscriber "${spec.name}" lists no events`);
    for (const p of spec.events) {
      const exact = p.endsWith('.*') ? p.slice(0, -2) : p;
      if (p !== '*' && !EVENT_TYPE.test(exact) && !/^[a-z][a-z0-9-]*$/.test(exact)) throw new Error(`subscriber "${spec.name}": "${p}" is not an event type or pattern`);
    }
    this.subscribers.set(spec.name, { ...spec, source });
  }

  subscriber(name: string): Subscriber | undefined {
    return this.subscribers.get(name);
  }

  list(): Subscriber[] {
    return [...this.subscribers.values()];
  }

  /** The subscribers an event of `type` goes to for this tenant (plugins only where enabled). */
  async targets(tenantId: string, type: string): Promise<Subscriber[]> {
    const out: Subscriber[] = [];
    for (const s of this.subscribers.values()) {
      if (!matchesEvent(s.events, type)) continue;
      if (s.source !== 'core' && this.gate && !(await this.gate(tenantId, s.source))) continue;
      out.push(s);
    }
    return out;
  }

  /** Called after a commit: relay these rows now instead of waiting for the poll. */
  kick(tenant: Tenant, event: { id: string; type: string; requestId: string | null }): void {
    this.relay.kick(tenant, event);
  }

  /** One relay pass over every database; returns how many events went to the queue. */
  relayPending(): Promise<number> {
    return this.relay.poll();
  }

  /** Queues again the jobs of relayed events that the queue lost (see Relay.recheck). */
  recheckRelayed(afterMs?: number): Promise<number> {
    return this.relay.recheck(afterMs);
  }

  /** Worker side: poll the outbox and consume subscriber jobs. Web processes only kick. */
  start(opts: { relay: boolean; consume: boolean }): void {
    if (opts.relay) this.relay.start();
    if (opts.consume && !this.consuming) {
      this.consuming = true;
      this.kernel.queue.process(EVENTS_QUEUE, this.options.concurrency, (data) => runSubscriberJob(this.kernel, this, data as unknown as EventJob).then(() => undefined));
    }
  }

  async stop(): Promise<void> {
    await this.relay.stop();
  }
}
