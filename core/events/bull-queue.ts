import Bull from 'bull';
import type { Logger } from 'pino';
import type { JobHandler, JobOptions, Queue } from './queue.js';
import { connectRedis, isClusterUrl, type RedisClient } from '../cache/redis-connect.js';

/** bull queues, one per job name, made lazily; bull makes its own ioredis clients. */
export class BullQueue implements Queue {
  private readonly queues = new Map<string, Bull.Queue>();
  /** Clients made for a Redis Cluster (bull leaves closing them to their maker). */
  private readonly clusterClients: RedisClient[] = [];

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  private queue(name: string): Bull.Queue {
    let q = this.queues.get(name);
    if (!q) {
      // bull's own reconnect backoff grows to 20 s; a queue that comes back should be used at once.
      q = isClusterUrl(this.redisUrl)
        ? // On a cluster every key of every queue carries the prefix's hash tag ({bazaar}): one slot, as bull's scripts need.
          new Bull(name, { prefix: this.prefix, createClient: ((type: 'client' | 'subscriber' | 'bclient') => this.clusterClient(type)) as unknown as Bull.QueueOptions['createClient'] })
        : new Bull(name, this.redisUrl, { prefix: this.prefix, redis: { retryStrategy: (times: number) => Math.min(times * 100, 2000) } });
      q.on('error', (err) => this.log.warn({ queue: name, err: err.message }, 'queue error'));
      q.on('failed', (job, err) => this.log.warn({ queue: name, id: job.id, attempt: job.attemptsMade, err: err.message }, 'job failed'));
      this.queues.set(name, q);
    }
    return q;
  }

  private clusterClient(type: 'client' | 'subscriber' | 'bclient'): RedisClient {
    if (!/^\{[^}]+\}/.test(this.prefix)) throw new Error(`QUEUE_PREFIX "${this.prefix}" must start with a hash tag such as {bazaar} on a Redis Cluster`);
    // bull's blocking and subscriber connections must not retry commands or wait for a ready check.
    const client = connectRedis(this.redisUrl, type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false });
    this.clusterClients.push(client);
    return client;
  }

  async add(name: string, data: Record<string, unknown>, opts: JobOptions = {}): Promise<void> {
    await this.queue(name).add(data, {
      jobId: opts.jobId,
      attempts: opts.attempts ?? 1,
      backoff: opts.backoffMs ? { type: 'exponential', delay: opts.backoffMs } : undefined,
      delay: opts.delayMs,
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  process(name: string, concurrency: number, handler: JobHandler): void {
    void this.queue(name).process(concurrency, async (job) => {
      await handler(job.data as Record<string, unknown>, { id: String(job.id), attemptsMade: job.attemptsMade });
    });
  }

  async has(name: string, jobId: string): Promise<boolean> {
    return (await this.queue(name).getJob(jobId)) !== null;
  }

  async ping(): Promise<boolean> {
    try {
      const q = this.queue('health');
      const client = q.client;
      const result = await Promise.race([client.ping(), new Promise<string>((r) => setTimeout(() => r('timeout'), 1000).unref())]);
      return result === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    for (const c of this.clusterClients.splice(0)) c.disconnect();
  }
}
