// Cache and counters behind one small interface: Redis in production, memory when embedded.
// Callers build keys with tenantKey() so every entry carries its tenant.
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Atomically adds 1 and returns the new value; the window starts on the first hit. */
  incr(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }>;
  /** incr() of many keys at once: one command and one round trip on Redis; answers in the same order. */
  incrMany(items: readonly { key: string; ttlSeconds: number }[]): Promise<{ count: number; ttlSeconds: number }[]>;
  /** Takes 1 back from each counter made by incr() that is still live (never below 0, never creates one). */
  decrMany(keys: readonly string[]): Promise<void>;
  /** Reads a counter made by incr() without changing it. */
  peek(key: string): Promise<{ count: number; ttlSeconds: number }>;
  /** Bumps a namespace version: every key built under it is invalid at once, in every process. */
  bump(namespace: string): Promise<number>;
  version(namespace: string): Promise<number>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function tenantKey(tenantId: string, ...parts: (string | number)[]): string {
  return `t:${tenantId}:${parts.join(':')}`;
}
