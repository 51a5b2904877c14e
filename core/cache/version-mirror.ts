// A process-local copy of the namespace versions (the catalog's, say), kept true by Redis itself.
//
// Reading a version from Redis costs a round trip on every cached request, which is most of what
// a cached answer costs. Instead, one extra connection turns on Redis's server-assisted client
// side caching for the version keys (CLIENT TRACKING ... BCAST PREFIX <prefix>v:, redirected to
// itself) and listens on __redis__:invalidate: whenever any process, or anything else, changes a
// version key, Redis sends its name before answering the write, and the local copy is dropped.
// The next read asks Redis again.
//
// The copy is trusted only while that connection is up and tracking. When it drops, the copy is
// cleared and every read goes to Redis until tracking is on again. A connection that dies without
// telling (a silent network partition) is covered by age: a copy older than 5 s is read again. The connection speaks RESP2: ioredis delivers invalidations as
// pub/sub messages there (under RESP3 it discards the push frames).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

const CHANNEL = '__redis__:invalidate';
/** More namespaces than this (tenants x kinds) and the copy starts again: a bound, not a tuning knob. */
const MAX_ENTRIES = 100_000;
/** The longest a copy is trusted without hearing from Redis, should the connection die silently. */
const MAX_AGE_MS = 5_000;

export class VersionMirror {
  /** Null on a Redis Cluster: never live, every version is read from Redis. */
  private readonly sub: Redis | null;
  private readonly known = new Map<string, { version: number; until: number }>();
  private readonly keyPrefix: string;
  private live = false;
  private id: number | undefined;
  /** Changes on every invalidation and reconnect: a read that started before must not be stored. */
  private epoch = 0;

  constructor(url: string | null, prefix: string, private readonly log: Logger) {
    this.keyPrefix = `${prefix}v:`;
    this.sub = null;
    if (url === null) return;
    this.sub = new Redis(url, { protocol: 2, autoResubscribe: false, enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: 'bazaar:versions' });
    this.sub.on('error', (err) => this.log.warn({ err: err.message }, 'redis version mirror error'));
    this.sub.on('ready', () => void this.track());
    this.sub.on('close', () => this.forget());
    this.sub.on('messageBuffer', (channel: Buffer, message: unknown) => {
      if (channel.toString() === CHANNEL) this.invalidate(message);
    });
  }

  private async track(): Promise<void> {
    if (!this.sub) return;
    try {
      const id = Number(await this.sub.client('ID'));
      this.id = id;
      await this.sub.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id), 'BCAST', 'PREFIX', this.keyPrefix);
      await this.sub.subscribe(CHANNEL);
      this.forget();
      this.live = true;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'redis version mirror could not turn tracking on; versions are read from Redis');
      this.forget();
    }
  }

  private forget(): void {
    this.live = false;
    this.known.clear();
    this.epoch++;
  }

  /** A message is the list of changed keys, or nil when the whole database was flushed. */
  private invalidate(message: unknown): void {
    this.epoch++;
    if (!Array.isArray(message)) {
      this.known.clear();
      return;
    }
    for (const key of message) this.known.delete(String(key).slice(this.keyPrefix.length));
  }

  /** The version as last read, while it is known to be current. */
  get(namespace: string): number | undefined {
    if (!this.live) return undefined;
    const copy = this.known.get(namespace);
    return copy && copy.until > Date.now() ? copy.version : undefined;
  }

  /** Marks the start of a read from Redis; pass the mark to remember(). */
  mark(): number {
    return this.epoch;
  }

  /** Keeps a version read from Redis, unless something changed since the read started. */
  remember(namespace: string, version: number, mark: number): void {
    if (!this.live || mark !== this.epoch) return;
    if (this.known.size >= MAX_ENTRIES) this.known.clear();
    this.known.set(namespace, { version, until: Date.now() + MAX_AGE_MS });
  }

  /** This process just changed the version: drop its copy now, before the message comes back. */
  changed(namespace: string): void {
    this.epoch++;
    this.known.delete(namespace);
  }

  /** True while tracking is on (tests wait for it). */
  get tracking(): boolean {
    return this.live;
  }

  /** The Redis client id of the listening connection (tests cut it). */
  get connectionId(): number | undefined {
    return this.id;
  }

  close(): void {
    this.forget();
    this.sub?.disconnect();
  }
}
