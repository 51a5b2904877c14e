// What a cart's shipping options are made of and rarely changes: the store's zones, methods,
// active pickup points and active local delivery areas. Asked on every cart question and checkout
// (issue 27: three reads of every order, zones, pickup points and local areas), so remembered per
// store and process for a few seconds, as the host remembers plugin and checkout settings.
//
// Under the store's `config` version (the plugin cache's version, which Redis keeps true in every
// process): a write through this plugin's admin routes bumps it, so the next question in any
// process reads the rows again; in this process the memo is also forgotten at once. Should the
// bump fail (Redis down), other processes see the change within TTL_MS; while the cache cannot
// tell its version, every question reads the database. README.md, "Remembered per store".
// The rows are shared between requests: callers must not change them.
import { LoadingMemo, scoped, type PluginCache, type TenantCtx } from '@bazaar/sdk';
import { LogisticsLocalArea, LogisticsMethod, LogisticsPickupPoint, LogisticsZone } from './logistics.model.js';

export interface LogisticsConfig {
  /** Every zone, by id (matchZone() breaks ties by this order). */
  zones: LogisticsZone[];
  /** Every method (active or not), by position then code. */
  methods: LogisticsMethod[];
  /** Active pickup points, by code. */
  pickupPoints: LogisticsPickupPoint[];
  /** Active local delivery areas (every country), by code. */
  localAreas: LogisticsLocalArea[];
}

const TTL_MS = 5_000;
const NAME = 'config';

export interface ConfigMemo {
  get(ctx: TenantCtx): Promise<LogisticsConfig>;
  /** After a write to zones, methods, pickup points or local areas has committed. */
  changed(ctx: TenantCtx): Promise<void>;
}

async function load(ctx: TenantCtx): Promise<LogisticsConfig> {
  // One after the other: a caller's transaction is one connection.
  const zones = await scoped(ctx, LogisticsZone).orderBy('id');
  const methods = await scoped(ctx, LogisticsMethod).orderBy([{ column: 'position' }, { column: 'code' }]);
  const pickupPoints = await scoped(ctx, LogisticsPickupPoint).where('active', true).orderBy('code');
  const localAreas = await scoped(ctx, LogisticsLocalArea).where('active', true).orderBy('code');
  return { zones, methods, pickupPoints, localAreas };
}

/** Inside a transaction: read through it and alone (on SQLite's one connection a shared load would wait for it). */
const inTransaction = (ctx: TenantCtx) => Boolean((ctx.db as { isTransaction?: boolean }).isTransaction);

export function configMemo(cache: Pick<PluginCache, 'version' | 'bump'>, log?: { warn(obj: object, msg: string): void }): ConfigMemo {
  const memo = new LoadingMemo<LogisticsConfig>(TTL_MS);
  return {
    async get(ctx) {
      const version = await cache.version(ctx, NAME);
      if (version < 0) return load(ctx);
      const key = `${ctx.tenant.id}:${version}`;
      return inTransaction(ctx) ? memo.getAlone(key, () => load(ctx)) : memo.get(key, () => load(ctx));
    },
    async changed(ctx) {
      memo.forget();
      try {
        await cache.bump(ctx, NAME);
      } catch (err) {
        log?.warn({ err: (err as Error).message }, 'logistics: could not bump the config version; other processes see the change within 5 s');
      }
      memo.forget();
    },
  };
}
