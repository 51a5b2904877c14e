import type { Cache } from './cache.js';

interface Entry {
  value: unknown;
  expiresAt: number;
}

/** One process's cache, for the embedded default and tests of it. */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(maxEntries = 50_000) {
    this.maxEntries = maxEntries;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.live(key)?.value as T | undefined;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.entries.size >= this.maxEntries) {
      // Map keeps insertion order: drop the oldest tenth.
      let n = Math.ceil(this.maxEntries / 10);
      for (const k of this.entries.keys()) {
        this.entries.delete(k);
        if (--n === 0) break;
      }
    }
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async del(...keys: string[]): Promise<void> {
    for (const k of keys) this.entries.delete(k);
  }

  async incr(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }> {
    const entry = this.live(key);
    if (!entry) {
      this.entries.set(key, { value: 1, expiresAt: Date.now() + ttlSeconds * 1000 });
      return { count: 1, ttlSeconds };
    }
    entry.value = (entry.value as number) + 1;
    return { count: entry.value as number, ttlSeconds: Math.max(1, Math.ceil((entry.expiresAt - Date.now()) / 1000)) };
  }

  async incrMany(items: readonly { key: string; ttlSeconds: number }[]): Promise<{ count: number; ttlSeconds: number }[]> {
    return Promise.all(items.map((i) => this.incr(i.key, i.ttlSeconds)));
  }

  async decrMany(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const entry = this.live(key);
      if (entry && (entry.value as number) > 0) entry.value = (entry.value as number) - 1;
    }
  }

  async peek(key: string): Promise<{ count: number; ttlSeconds: number }> {
    const entry = this.live(key);
    if (!entry) return { count: 0, ttlSeconds: 0 };
    return { count: entry.value as number, ttlSeconds: Math.max(1, Math.ceil((entry.expiresAt - Date.now()) / 1000)) };
  }

  async bump(namespace: string): Promise<number> {
    const entry = this.live(`v:${namespace}`);
    const next = ((entry?.value as number | undefined) ?? 0) + 1;
    this.entries.set(`v:${namespace}`, { value: next, expiresAt: Number.MAX_SAFE_INTEGER });
    return next;
  }

  async version(namespace: string): Promise<number> {
    return (this.live(`v:${namespace}`)?.value as number | undefined) ?? 0;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
