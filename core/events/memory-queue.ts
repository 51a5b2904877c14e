import type { Logger } from 'pino';
import { newId } from '../db/ids.js';
import type { JobHandler, JobOptions, Queue } from './queue.js';

interface Pending {
  name: string;
  data: Record<string, unknown>;
  opts: JobOptions;
  id: string;
  attemptsMade: number;
}

/** The embedded default: jobs run in this process, retried with backoff, never across restarts. */
export class MemoryQueue implements Queue {
  private readonly handlers = new Map<string, { handler: JobHandler; concurrency: number; running: number; waiting: Pending[] }>();
  private readonly early = new Map<string, Pending[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly known = new Set<string>();
  private closed = false;

  constructor(private readonly log: Logger) {}

  async add(name: string, data: Record<string, unknown>, opts: JobOptions = {}): Promise<void> {
    if (this.closed) return;
    const id = opts.jobId ?? newId();
    if (opts.jobId) {
      if (this.known.has(`${name}:${id}`)) return;
      this.known.add(`${name}:${id}`);
    }
    this.schedule({ name, data, opts, id, attemptsMade: 0 }, opts.delayMs ?? 0);
  }

  process(name: string, concurrency: number, handler: JobHandler): void {
    const slot = { handler, concurrency, running: 0, waiting: this.early.get(name) ?? [] };
    this.early.delete(name);
    this.handlers.set(name, slot);
    this.drain(name);
  }

  private schedule(job: Pending, delayMs: number): void {
    const enqueue = () => {
      const slot = this.handlers.get(job.name);
      if (!slot) {
        const list = this.early.get(job.name) ?? [];
        list.push(job);
        this.early.set(job.name, list);
        return;
      }
      slot.waiting.push(job);
      this.drain(job.name);
    };
    if (delayMs <= 0) {
      setImmediate(enqueue);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      enqueue();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private drain(name: string): void {
    const slot = this.handlers.get(name);
    if (!slot || this.closed) return;
    while (slot.running < slot.concurrency && slot.waiting.length) {
      const job = slot.waiting.shift()!;
      slot.running++;
      slot
        .handler(job.data, { id: job.id, attemptsMade: job.attemptsMade })
        .then(() => this.known.delete(`${name}:${job.id}`))
        .catch((err: Error) => {
          job.attemptsMade++;
          const attempts = job.opts.attempts ?? 1;
          if (job.attemptsMade < attempts && !this.closed) {
            const delay = (job.opts.backoffMs ?? 1000) * 2 ** (job.attemptsMade - 1);
            this.log.warn({ job: name, id: job.id, attempt: job.attemptsMade, err: err.message }, 'job failed, retrying');
            this.schedule(job, delay);
          } else {
            this.known.delete(`${name}:${job.id}`);
            this.log.error({ job: name, id: job.id, err: err.message }, 'job failed for good');
          }
        })
        .finally(() => {
          slot.running--;
          this.drain(name);
        });
    }
  }

  /**
   * Resolves true once no job of a consumed queue is waiting, running or due for a retry (false
   * after `timeoutMs`): a short-lived process (the CLI) sends what it queued before it exits.
   */
  async whenIdle(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Jobs are scheduled with setImmediate: let those in flight land in their queue first.
      await new Promise((r) => setImmediate(r));
      const busy = this.timers.size > 0 || [...this.handlers.values()].some((s) => s.running > 0 || s.waiting.length > 0);
      if (!busy) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async has(name: string, jobId: string): Promise<boolean> {
    return this.known.has(`${name}:${jobId}`);
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
