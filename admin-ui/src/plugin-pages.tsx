// Plugin pages: every plugin's console module (built-in plugins/<name>/admin/console.ts, or an
// npm package's, see ../console-plugins.ts) is found at build time; its pages' code is loaded
// only when opened, and listed only where the plugin is on and the role allows it.
import { lazy, Suspense, useMemo, type ComponentType, type LazyExoticComponent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { platformApi, storeApi } from './api';
import { allows, canOpen } from './perms';
import type { ConsolePlugin } from './plugin-api';
import type { NavItem } from './nav';
import { useSession } from './layout/Shell';
import { Loading, ErrorAlert } from './components';
import modules from 'virtual:bazaar-console-plugins';

export const consolePlugins: ConsolePlugin[] = modules;

export interface TenantPlugin {
  name: string;
  version: string;
  description: string | null;
  enabled: boolean;
  permissions: string[];
  settingsSchema: Record<string, unknown> | null;
  settings?: Record<string, unknown>;
  secretsSet?: string[];
}

export function useTenantPlugins(enabled = true) {
  const session = useSession('store');
  return useQuery({ queryKey: ['store', session?.tenant, 'plugins'], queryFn: () => storeApi<{ items: TenantPlugin[] }>('GET', '/plugins'), enabled: enabled && Boolean(session) });
}

/** `platformPlugins`: those acting for the store (GET /me), whose store pages apply without being enabled. */
export function usePluginNav(permissions: string[], role?: string, platformPlugins: readonly string[] = []): NavItem[] {
  const canList = allows(permissions, 'plugins:read') && consolePlugins.length > 0;
  const plugins = useTenantPlugins(canList);
  const on = new Set([...(plugins.data?.items ?? []).filter((p) => p.enabled).map((p) => p.name), ...platformPlugins]);
  const user = { permissions, role, plugins: on };
  return consolePlugins
    .filter((c) => on.has(c.plugin))
    .flatMap((c) => c.pages.filter((p) => (p.surface ?? 'store') === 'store' && canOpen(user, p)).map((p) => ({ key: `${c.plugin}-${p.path}`, label: p.label, to: `/store/ext/${c.plugin}/${p.path}`, permission: p.permission, allOf: p.allOf, isVisible: p.isVisible, prefix: true })));
}

const loaded = new Map<string, LazyExoticComponent<ComponentType>>();

/** Platform plugins installed on this platform (their pages show in the platform console). */
export function useInstalledPlugins(enabled = true) {
  const session = useSession('platform');
  return useQuery({ queryKey: ['platform', session?.email, 'plugins'], queryFn: () => platformApi<{ items: { name: string; installed: boolean; scope: string }[] }>('GET', '/plugins'), enabled: enabled && Boolean(session) });
}

export function usePlatformPluginNav(): NavItem[] {
  const withPages = consolePlugins.filter((c) => c.pages.some((p) => p.surface === 'platform'));
  const plugins = useInstalledPlugins(withPages.length > 0);
  const on = new Set((plugins.data?.items ?? []).filter((p) => p.installed).map((p) => p.name));
  return withPages
    .filter((c) => on.has(c.plugin))
    .flatMap((c) => c.pages.filter((p) => p.surface === 'platform').map((p) => ({ key: `${c.plugin}-${p.path}`, label: p.label, to: `/platform/ext/${c.plugin}/${p.path}`, prefix: true })));
}

/** The page's lazily loaded component, made once per page for the whole session. */
function useLazyPage(def: { load: Parameters<typeof lazy>[0] } | undefined, key: string) {
  return useMemo(() => {
    if (!def) return null;
    if (!loaded.has(key)) loaded.set(key, lazy(def.load));
    return loaded.get(key)!;
  }, [def, key]);
}

export function PlatformPluginPage() {
  const { t } = useTranslation();
  const { plugin, page } = useParams({ strict: false }) as { plugin?: string; page?: string };
  const plugins = useInstalledPlugins();
  const def = consolePlugins.find((c) => c.plugin === plugin)?.pages.find((p) => p.path === page && p.surface === 'platform');
  const key = `platform:${plugin}/${page}`;
  const Component = useLazyPage(def, key);
  if (plugins.isPending) return <Loading />;
  if (plugins.error) return <ErrorAlert error={plugins.error} />;
  const on = plugins.data.items.some((p) => p.name === plugin && p.installed);
  if (!def || !Component || !on) return <p>{t('app.notFound')}</p>;
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}

export function PluginPage({ permissions, role, platformPlugins = [] }: { permissions: string[]; role?: string; platformPlugins?: readonly string[] }) {
  const { t } = useTranslation();
  const { plugin, page } = useParams({ strict: false }) as { plugin?: string; page?: string };
  // A platform plugin acting for the store needs no tenant plugin row (nor plugins:read to list them).
  const acting = Boolean(plugin && platformPlugins.includes(plugin));
  const plugins = useTenantPlugins(!acting);
  const def = consolePlugins.find((c) => c.plugin === plugin)?.pages.find((p) => p.path === page && (p.surface ?? 'store') === 'store');
  const key = `${plugin}/${page}`;
  const Component = useLazyPage(def, key);
  if (!acting && plugins.isPending) return <Loading />;
  if (!acting && plugins.error) return <ErrorAlert error={plugins.error} />;
  const items = plugins.data?.items ?? [];
  const on = acting || items.some((p) => p.name === plugin && p.enabled);
  if (!def || !Component || !on) return <p>{t('app.notFound')}</p>;
  const enabled = new Set([...items.filter((p) => p.enabled).map((p) => p.name), ...platformPlugins]);
  if (!canOpen({ permissions, role, plugins: enabled }, def)) return <p data-testid="forbidden">{t('app.forbidden')}</p>;
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}

/** A `public` page: no console session, no navigation; the plugin's API answers 404 where it is not installed. */
export function PublicPluginPage() {
  const { t } = useTranslation();
  const { plugin, page } = useParams({ strict: false }) as { plugin?: string; page?: string };
  const def = consolePlugins.find((c) => c.plugin === plugin)?.pages.find((p) => p.path === page && p.surface === 'public');
  const Component = useLazyPage(def, `public:${plugin}/${page}`);
  if (!def || !Component) return <p>{t('app.notFound')}</p>;
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}
