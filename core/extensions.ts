// The core's extension points, as the core sees them: providers looked up per tenant and
// synchronous hooks run with a time budget. The core ships built-in providers; the plugin host
// (core/plugins/) adds those of the plugins a tenant has enabled. Domains declare their
// provider and hook types by augmenting ProviderMap and HookMap:
//
//   declare module '../extensions.js' { interface ProviderMap { payment: PaymentProvider } }
import type { TenantCtx } from './context.js';

/** Every provider has a stable id, unique within its kind (`offline`, `stripe`, `flat-rate`). */
export interface Provider {
  readonly id: string;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProviderMap {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HookMap {}

export type ProviderKind = keyof ProviderMap;
export type HookName = keyof HookMap;
type HookIn<K extends HookName> = HookMap[K] extends { input: infer I } ? I : never;
type HookOut<K extends HookName> = HookMap[K] extends { output: infer O } ? O : never;

export type HookHandler<K extends HookName> = (ctx: TenantCtx, input: HookIn<K>) => Promise<HookOut<K>> | HookOut<K>;

export interface HookOutcome<K extends HookName> {
  /** Who answered: a plugin name, or `core`. */
  source: string;
  ok: boolean;
  value?: HookOut<K>;
  /** Why this handler's part was dropped: `timeout` or `error` (details are in the log only). */
  failure?: 'timeout' | 'error';
}

export interface Extensions {
  /** Providers of a kind this tenant can use: the core's, then those of its enabled plugins. */
  providers<K extends ProviderKind>(ctx: TenantCtx, kind: K): Promise<ProviderMap[K][]>;
  provider<K extends ProviderKind>(ctx: TenantCtx, kind: K, id: string): Promise<ProviderMap[K] | undefined>;
  /**
   * Runs every handler of a hook for this tenant, each within its time budget. A handler that
   * throws or runs late loses its part (logged); the caller's request goes on.
   */
  runHook<K extends HookName>(ctx: TenantCtx, name: K, input: HookIn<K>): Promise<HookOutcome<K>[]>;
  /**
   * Problem codes that an extension point (`provider:<kind>`, `hook:<name>`) may give to the core
   * routes that call it (a route names them in `errorsFrom`), declared by whoever serves the point:
   * a plugin's `api.provide(kind, p, { errors })`. The OpenAPI document lists them on those routes.
   */
  declareProblems(point: string, source: string, errors: Record<number, string[]>): void;
  /** What every source declared for `point`, by status. */
  problemsAt(point: string): Record<number, string[]>;
}

/** Built-in providers and hooks, registered by core domains at boot. */
export class CoreExtensions implements Extensions {
  private readonly builtIn = new Map<string, Provider[]>();
  private readonly hooks = new Map<string, { source: string; handler: HookHandler<never>; budgetMs: number }[]>();
  /** Set by the plugin host: the providers and hooks of plugins enabled for a tenant. */
  pluginSource?: {
    providers(ctx: TenantCtx, kind: string): Promise<Provider[]>;
    hooks(ctx: TenantCtx, name: string): Promise<{ source: string; handler: HookHandler<never>; budgetMs: number }[]>;
  };

  private readonly problems = new Map<string, Map<string, Record<number, string[]>>>();

  declareProblems(point: string, source: string, errors: Record<number, string[]>): void {
    const bySource = this.problems.get(point) ?? new Map<string, Record<number, string[]>>();
    bySource.set(source, errors);
    this.problems.set(point, bySource);
  }

  problemsAt(point: string): Record<number, string[]> {
    const out: Record<number, string[]> = {};
    for (const errors of this.problems.get(point)?.values() ?? []) {
      for (const [status, codes] of Object.entries(errors)) out[Number(status)] = [...new Set([...(out[Number(status)] ?? []), ...codes])].sort();
    }
    return out;
  }

  addProvider<K extends ProviderKind>(kind: K, provider: ProviderMap[K] & Provider): void {
    const list = this.builtIn.get(kind as string) ?? [];
    list.push(provider);
    this.builtIn.set(kind as string, list);
  }

  addHook<K extends HookName>(name: K, source: string, handler: HookHandler<K>, budgetMs = 200): void {
    const list = this.hooks.get(name as string) ?? [];
    list.push({ source, handler: handler as unknown as HookHandler<never>, budgetMs });
    this.hooks.set(name as string, list);
  }

  async providers<K extends ProviderKind>(ctx: TenantCtx, kind: K): Promise<ProviderMap[K][]> {
    const own = (this.builtIn.get(kind as string) ?? []) as unknown as ProviderMap[K][];
    const fromPlugins = this.pluginSource ? ((await this.pluginSource.providers(ctx, kind as string)) as unknown as ProviderMap[K][]) : [];
    return [...own, ...fromPlugins];
  }

  async provider<K extends ProviderKind>(ctx: TenantCtx, kind: K, id: string): Promise<ProviderMap[K] | undefined> {
    return (await this.providers(ctx, kind)).find((p) => (p as unknown as Provider).id === id);
  }

  async runHook<K extends HookName>(ctx: TenantCtx, name: K, input: HookIn<K>): Promise<HookOutcome<K>[]> {
    const handlers = [...(this.hooks.get(name as string) ?? []), ...(this.pluginSource ? await this.pluginSource.hooks(ctx, name as string) : [])];
    return Promise.all(
      handlers.map(async ({ source, handler, budgetMs }): Promise<HookOutcome<K>> => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), budgetMs);
        });
        try {
          const value = await Promise.race([Promise.resolve().then(() => (handler as unknown as HookHandler<K>)(ctx, input)), late]);
          if (value === 'timeout') {
            ctx.log.error({ hook: name, source, budgetMs }, 'hook ran past its time budget; its part was dropped');
            return { source, ok: false, failure: 'timeout' };
          }
          return { source, ok: true, value: value as HookOut<K> };
        } catch (err) {
          ctx.log.error({ hook: name, source, err }, 'hook failed; its part was dropped');
          return { source, ok: false, failure: 'error' };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}
