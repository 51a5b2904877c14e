// Finds tenants for the kernel. Lookups are remembered for a few seconds per process (every
// request needs one); a change here forgets them at once in this process, and other processes
// see it within the TTL.
import type { Kernel, TenantDirectory } from '../core/kernel.js';
import type { Tenant } from '../core/context.js';
import { LoadingMemo } from '../core/cache/loading-memo.js';
import { TenantRecord, TenantDomain } from './tenant.model.js';

const TTL_MS = 5_000;

export class CachedTenantDirectory implements TenantDirectory {
  private readonly memo = new LoadingMemo<Tenant | null>(TTL_MS);

  constructor(private readonly kernel: Kernel) {}

  byId(id: string): Promise<Tenant | null> {
    return this.memo.get(`id:${id}`, async () => (await TenantRecord.query(this.kernel.pool.control).findById(id))?.toTenant() ?? null);
  }

  bySlug(slug: string): Promise<Tenant | null> {
    return this.memo.get(`slug:${slug}`, async () => (await TenantRecord.query(this.kernel.pool.control).findOne({ slug }))?.toTenant() ?? null);
  }

  byHost(host: string): Promise<Tenant | null> {
    return this.memo.get(`host:${host}`, async () => {
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
    this.memo.forget();
  }
}
