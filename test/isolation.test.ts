// The cross-tenant sweep: tenant A's credentials against tenant B's ids, on every route of the
// store and admin surfaces, and a check that every tenant-owned table is covered.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runtime, SECOND_PLACEMENT } from './support/runtime.js';
import { call } from './support/http.js';
import { makeTenant, makeCustomer, type TestTenant } from './support/factories.js';
import { sweepFixtures, type SweepSeed } from './support/sweep.js';
import './sweep-fixtures.js';
import { scoped, tenantModels } from '../core/db/model.js';
import { isSqlite } from '../core/db/knex.js';
import { TenantScopeError } from '../core/errors.js';
import type { RouteSpec } from '../core/http/route.js';
import { PLATFORM_TENANT_TABLES } from '../tenants/tenant.move.js';

/** Tables with a tenant_id column that are platform-level on purpose (tenant:move leaves them too). */
const PLATFORM_TABLES = PLATFORM_TENANT_TABLES;

function fixtureFiles(): string[] {
  const root = path.join(process.cwd(), 'test');
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.sweep.ts') ? [path.join(dir, e.name)] : []));
  return walk(root).map((f) => './' + path.relative(root, f).replace(/\.ts$/, '.js'));
}

async function tablesWithTenantId(): Promise<string[]> {
  const rt = await runtime();
  const db = rt.kernel.pool.control;
  if (isSqlite(db)) {
    const tables = (await db.raw("select name from sqlite_master where type = 'table'")) as { name: string }[];
    const out: string[] = [];
    for (const { name } of tables) {
      const cols = (await db.raw(`pragma table_info("${name}")`)) as { name: string }[];
      if (cols.some((c) => c.name === 'tenant_id')) out.push(name);
    }
    return out;
  }
  const [rows] = (await db.raw("select table_name as t from information_schema.columns where table_schema = database() and column_name = 'tenant_id'")) as [{ t: string }[]];
  return rows.map((r) => r.t);
}

function fill(spec: RouteSpec, ids: Record<string, string>): string | null {
  let missing = false;
  const segments = spec.path.split('/');
  const out = segments.map((seg, i) => {
    if (!seg.startsWith(':')) return seg;
    const name = seg.slice(1);
    const key = name === 'id' ? segments[i - 1] : name;
    const value = ids[key];
    if (!value) missing = true;
    return value;
  });
  return missing ? null : out.join('/');
}

describe('cross-tenant isolation sweep', function () {
  this.timeout(120_000);
  let attacker: TestTenant;
  let victim: TestTenant;
  let attackerCustomer: { token: string };
  const seed: SweepSeed = { ids: {}, secrets: [] };

  before(async () => {
    // Both live on the second database (the other tests' stores are on the first): the sweep
    // runs with tenants on both placements, and the attacker shares the victim's database.
    attacker = await makeTenant({ placement: SECOND_PLACEMENT });
    victim = await makeTenant({ placement: SECOND_PLACEMENT });
    attackerCustomer = await makeCustomer(attacker);
    for (const f of sweepFixtures) {
      const s = await f.seed(victim, attacker);
      Object.assign(seed.ids, s.ids);
      seed.secrets.push(...s.secrets);
    }
  });

  it('imports every *.sweep.ts fixture', () => {
    const index = fs.readFileSync(path.join(process.cwd(), 'test', 'sweep-fixtures.ts'), 'utf8');
    for (const file of fixtureFiles()) expect(index, `test/sweep-fixtures.ts imports ${file}`).to.include(`'${file}'`);
  });

  it('every tenant-owned table is registered, holds victim rows, and the scoped helper shows none to the attacker', async () => {
    const rt = await runtime();
    const tables = await tablesWithTenantId();
    const unregistered = tables.filter((t) => !tenantModels.has(t) && !PLATFORM_TABLES[t]);
    expect(unregistered, 'tables with tenant_id but no registered tenant model').to.deep.equal([]);
    for (const [table, model] of tenantModels) {
      const victimRows = await rt.kernel.pool.forTenant(victim.tenant)(table).where('tenant_id', victim.tenant.id).count({ n: '*' });
      expect(Number(victimRows[0].n), `the sweep seeds victim rows in ${table}`).to.be.greaterThan(0);
      const seen = await scoped(attacker.ctx, model);
      expect(seen.every((row) => row.tenantId === attacker.tenant.id), `${table} through the scoped helper`).to.equal(true);
    }
  });

  it('a query on a tenant-owned model without a tenant throws', async () => {
    const rt = await runtime();
    for (const [table, model] of tenantModels) {
      expect(() => model.query(rt.kernel.pool.control), table).to.throw(TenantScopeError);
      expect(() => scoped({ tenant: null, db: rt.kernel.pool.control }, model), table).to.throw(TenantScopeError);
    }
  });

  it("every store and admin route answers A's credentials on B's ids with 404 and nothing of B's", async () => {
    const rt = await runtime();
    const problems: string[] = [];
    const bodies = Object.assign({}, ...sweepFixtures.map((f) => f.bodies ?? {})) as Record<string, unknown>;
    const skip = Object.assign({}, ...sweepFixtures.map((f) => f.skip ?? {})) as Record<string, string>;
    let called = 0;
    for (const spec of rt.routes) {
      if (!spec.path.startsWith('/store/') && !spec.path.startsWith('/admin/')) continue;
      const key = `${spec.method} ${spec.path}`;
      if (skip[key]) continue;
      const url = fill(spec, seed.ids);
      if (!url) {
        problems.push(`${key}: no victim id for its parameters (add it to a *.sweep.ts fixture)`);
        continue;
      }
      const hasRequired = Boolean((spec.body as { required?: string[] } | undefined)?.required?.length);
      if (spec.body && hasRequired && !(key in bodies)) {
        problems.push(`${key}: no sample body (add one to a *.sweep.ts fixture)`);
        continue;
      }
      const isAdmin = spec.path.startsWith('/admin/');
      const res = await call(spec.method, url, {
        tenant: attacker.slug,
        token: isAdmin ? attacker.ownerToken : attackerCustomer.token,
        body: spec.body ? (bodies[key] ?? {}) : undefined,
      });
      called++;
      if (res.status >= 500) problems.push(`${key}: answered ${res.status}`);
      if (spec.path.includes(':') && res.status !== 404) problems.push(`${key}: answered ${res.status}, expected 404`);
      // The problem echoes the path the attacker sent; anything else of B is a leak.
      const leaked = seed.secrets.filter((s) => !url.includes(s) && res.text.includes(s));
      if (leaked.length) problems.push(`${key}: leaked ${leaked.join(', ')}`);
    }
    expect(problems).to.deep.equal([]);
    expect(called).to.be.greaterThan(10);
    for (const f of sweepFixtures) await f.verify?.(victim, seed);
  });
});
