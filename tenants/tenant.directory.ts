// Finds tenants for the kernel. Lookups are remembered for a few seconds per process (every
// request needs one); a change here forgets them at once in this process, and other processes
// see it within the TTL.
import type { Kernel, TenantDirectory } from '../core/kernel.js';
import type { Tenant } from '../core/context.js';
import { TenantRecord, TenantDomain } from './tenant.model.js';

const TTL_MS = 5_000;

export class CachedTenantDirectory implements TenantDirectory {
  private readonly memo = new Map<string, { tenant: Tenant | null; until: number }>();
  /** Lookups on their way: callers that miss together share one query. */
  private readonly loading = new Map<string, Promise<Tenant | null>>();
  /** Bumped by invalidate(): a lookup that started before a change does not store its answer. */
  private generation = 0;

  constructor(private readonly kernel: Kernel) {}

  private remember(key: string, load: () => Promise<Tenant | null>): Promise<Tenant | null> {
    const hit = this.memo.get(key);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.tenant);
    let pending = this.loading.get(key);
    if (!pending) {
      const generation = this.generation;
      pending = load().then(
        (tenant) => {
          if (generation !== this.generation) return tenant;
          this.loading.delete(key);
          if (this.memo.size > 10_000) this.memo.clear();
          this.memo.set(key, { tenant, until: Date.now() + TTL_MS });
          return tenant;
        },
        (err: unknown) => {
          if (generation === this.generation) this.loading.delete(key);
          throw err;
        },
      );
      this.loading.set(key, pending);
    }
    return pending;
  }

  byId(id: string): Promise<Tenant | null> {
    return this.remember(`id:${id}`, async () => (await TenantRecord.query(this.kernel.pool.control).findById(id))?.toTenant() ?? null);
  }

  bySlug(slug: string): Promise<Tenant | null> {
    return this.remember(`slug:${slug}`, async () => (await TenantRecord.query(this.kernel.pool.control).findOne({ slug }))?.toTenant() ?? null);
  }

  byHost(host: string): Promise<Tenant | null> {
    return this.remember(`host:${host}`, async () => {
      const base = this.kernel.config.baseDomain;
      if (host.endsWith(`.${base}`)) {
        const slug = host.slice(0, -(base.length + 1));
        if (!slug.includes('.')) return (await TenantRecord.query(this.kernel.pool.control).findOne({ slug }))?.toTenant() ?? null;
      }
      const domain = await TenantDomain.query(this.kernel.pool.control).findById(host);
      return domain ? this.byId(domain.tenantId) : null;
    });
  }

  async invalidate(): Promise<void> {
    this.generation++;
    this.memo.clear();
    this.loading.clear();
  }
}
