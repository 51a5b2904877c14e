// Values remembered for a few seconds per key and process, loaded on a miss. Callers that miss
// together share one load (no stampede of identical queries when an entry expires), and a load
// that began before forget() does not store its answer (it may predate the change).
export class LoadingMemo<V> {
  private readonly values = new Map<string, { value: V; until: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The entry while it is fresh (so that a remembered null or false is told from a miss). */
  fresh(key: string): { value: V } | undefined {
    const hit = this.values.get(key);
    return hit !== undefined && hit.until > Date.now() ? hit : undefined;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.fresh(key);
    if (hit) return Promise.resolve(hit.value);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const started: Promise<V> = this.load(key, load).finally(() => {
      if (this.loading.get(key) === started) this.loading.delete(key);
    });
    this.loading.set(key, started);
    return started;
  }

  /**
   * As get(), but a miss is loaded by this caller alone, never joining a load already on its way
   * (nor lending its own): for a caller inside a database transaction that loads through it. On
   * SQLite's one connection, a shared load waits for the connection that transaction holds, and
   * the transaction waits for the load.
   */
  getAlone(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.fresh(key);
    return hit ? Promise.resolve(hit.value) : this.load(key, load);
  }

  private load(key: string, load: () => Promise<V>): Promise<V> {
    const generation = this.generation;
    return load().then((value) => {
      if (generation === this.generation) {
        if (this.values.size >= this.maxEntries) this.values.clear();
        this.values.set(key, { value, until: Date.now() + this.ttlMs });
      }
      return value;
    });
  }

  /** Forgets one key, or every key; loads on their way keep their answer to themselves. */
  forget(key?: string): void {
    this.generation++;
    if (key === undefined) {
      this.values.clear();
      this.loading.clear();
    } else {
      this.values.delete(key);
      this.loading.delete(key);
    }
  }
}
