// A failing plugin is isolated (issue 17, item 16): its middleware, `prepare` or hook that
// throws or runs past its time budget is skipped for that request and counted, and the request
// goes on without it. After FAILURES_TO_SUSPEND failures in a row in one store, the plugin's
// circuit there opens: its middleware and hooks are skipped outright for SUSPEND_MS, then one
// request tries it again (half-open). A plugin that must not be skipped (a request filter that
// would rather refuse than let through) declares `failClosed`: its failure answers 503.
import type { Counter } from 'prom-client';
import type { Kernel } from '../kernel.js';

export const FAILURES_TO_SUSPEND = 5;
export const SUSPEND_MS = 30_000;
/** A middleware's own time budget, before it calls next() and again after next() settles. */
export const MIDDLEWARE_BUDGET_MS = 2_000;

export type FailureKind = 'error' | 'timeout';

export interface PluginHealthView {
  /** `ok`; `failing`: failed lately, still run; `suspended`: skipped until `suspendedUntil`. */
  status: 'ok' | 'failing' | 'suspended';
  /** Failures since this process started. */
  failures: number;
  lastFailure: { at: string; point: string; kind: FailureKind } | null;
  suspendedUntil: string | null;
}

interface Circuit {
  inARow: number;
  openUntil: number;
  /** Half-open: one request is trying the plugin again. */
  trying: boolean;
}

interface Tally {
  failures: number;
  last: { at: number; point: string; kind: FailureKind } | null;
}

export class PluginHealth {
  private readonly circuits = new Map<string, Circuit>();
  private readonly tallies = new Map<string, Tally>();
  private readonly counter: Counter<string>;
  /** The clock the circuits read (a test moves it past SUSPEND_MS instead of waiting). */
  now: () => number = Date.now;

  constructor(kernel: Kernel) {
    this.counter = kernel.metrics.counter('bazaar_plugin_failures_total', 'Plugin middleware, prepare and hook failures (isolated: skipped, the request went on)', ['plugin', 'point', 'kind']);
  }

  private static key(plugin: string, tenantId: string): string {
    return `${plugin}\u0000${tenantId}`;
  }

  /** Whether to run the plugin for this store now: false while its circuit is open. */
  allows(plugin: string, tenantId: string): boolean {
    const c = this.circuits.get(PluginHealth.key(plugin, tenantId));
    if (!c || c.openUntil === 0) return true;
    if (this.now() < c.openUntil || c.trying) return false;
    c.trying = true;
    return true;
  }

  succeeded(plugin: string, tenantId: string): void {
    const key = PluginHealth.key(plugin, tenantId);
    if (this.circuits.has(key)) this.circuits.delete(key);
  }

  failed(plugin: string, tenantId: string, point: string, kind: FailureKind): void {
    const key = PluginHealth.key(plugin, tenantId);
    const c = this.circuits.get(key) ?? { inARow: 0, openUntil: 0, trying: false };
    c.inARow++;
    if (c.trying || c.inARow >= FAILURES_TO_SUSPEND) c.openUntil = this.now() + SUSPEND_MS;
    c.trying = false;
    this.circuits.set(key, c);
    const t = this.tallies.get(plugin) ?? { failures: 0, last: null };
    t.failures++;
    t.last = { at: this.now(), point, kind };
    this.tallies.set(plugin, t);
    this.counter.inc({ plugin, point, kind });
  }

  /** The plugin's health in one store, or across stores (tenantId undefined: suspended in any). */
  view(plugin: string, tenantId?: string): PluginHealthView {
    const t = this.tallies.get(plugin);
    const now = this.now();
    let openUntil = 0;
    if (tenantId !== undefined) openUntil = this.circuits.get(PluginHealth.key(plugin, tenantId))?.openUntil ?? 0;
    else for (const [key, c] of this.circuits) if (key.startsWith(`${plugin}\u0000`)) openUntil = Math.max(openUntil, c.openUntil);
    const suspended = openUntil > now;
    const recent = t?.last && now - t.last.at < SUSPEND_MS * 2;
    return {
      status: suspended ? 'suspended' : recent ? 'failing' : 'ok',
      failures: t?.failures ?? 0,
      lastFailure: t?.last ? { at: new Date(t.last.at).toISOString(), point: t.last.point, kind: t.last.kind } : null,
      suspendedUntil: suspended ? new Date(openUntil).toISOString() : null,
    };
  }
}

export const pluginHealthOut = {
  type: 'object',
  required: ['status', 'failures', 'lastFailure', 'suspendedUntil'],
  properties: {
    status: { enum: ['ok', 'failing', 'suspended'] },
    failures: { type: 'integer' },
    lastFailure: {
      anyOf: [
        { type: 'object', required: ['at', 'point', 'kind'], properties: { at: { type: 'string', format: 'date-time' }, point: { type: 'string' }, kind: { enum: ['error', 'timeout'] } } },
        { type: 'null' },
      ],
    },
    suspendedUntil: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
  },
} as const;

/**
 * Runs `work` within a budget that pauses while `downstream()` says the rest of the chain is
 * running (that time is not the plugin's). Checked by one shared timer, not one per request.
 */
export class Watchdog {
  private readonly watched = new Set<{ deadline: number; paused: boolean; late: () => void }>();
  private timer: NodeJS.Timeout | undefined;

  watch(budgetMs: number): { late: Promise<'timeout'>; pause(): void; resume(): void; done(): void } {
    let fire!: () => void;
    const late = new Promise<'timeout'>((resolve) => (fire = () => resolve('timeout')));
    const entry = { deadline: Date.now() + budgetMs, paused: false, late: fire };
    this.watched.add(entry);
    this.timer ??= setInterval(() => this.sweep(), Math.min(50, budgetMs)).unref();
    return {
      late,
      pause: () => void (entry.paused = true),
      resume: () => {
        entry.paused = false;
        entry.deadline = Date.now() + budgetMs;
      },
      done: () => void this.watched.delete(entry),
    };
  }

  private sweep(): void {
    const now = Date.now();
    for (const e of this.watched) {
      if (!e.paused && now > e.deadline) {
        this.watched.delete(e);
        e.late();
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
