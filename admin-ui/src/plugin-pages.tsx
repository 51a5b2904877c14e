// Plugin pages: every plugin's console module (built-in plugins/<name>/admin/console.ts, or an
// npm package's, see ../console-plugins.ts) is found at build time; its pages' code is loaded
// only when opened, and listed only where the plugin is on and the role allows it.
import { lazy, Suspense, useMemo, type ComponentType, type LazyExoticComponent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { storeApi } from './api';
import { allows } from './perms';
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

export function usePluginNav(permissions: string[]): NavItem[] {
  const canList = allows(permissions, 'plugins:read') && consolePlugins.length > 0;
  const plugins = useTenantPlugins(canList);
  const on = new Set((plugins.data?.items ?? []).filter((p) => p.enabled).map((p) => p.name));
  return consolePlugins
    .filter((c) => on.has(c.plugin))
    .flatMap((c) => c.pages.filter((p) => allows(permissions, p.permission)).map((p) => ({ key: `${c.plugin}-${p.path}`, label: p.label, to: `/store/ext/${c.plugin}/${p.path}`, permission: p.permission, prefix: true })));
}

const loaded = new Map<string, LazyExoticComponent<ComponentType>>();

export function PluginPage({ permissions }: { permissions: string[] }) {
  const { t } = useTranslation();
  const { plugin, page } = useParams({ strict: false }) as { plugin?: string; page?: string };
  const plugins = useTenantPlugins();
  const def = consolePlugins.find((c) => c.plugin === plugin)?.pages.find((p) => p.path === page);
  const key = `${plugin}/${page}`;
  const Component = useMemo(() => {
    if (!def) return null;
    if (!loaded.has(key)) loaded.set(key, lazy(def.load));
    return loaded.get(key)!;
  }, [def, key]);
  if (plugins.isPending) return <Loading />;
  if (plugins.error) return <ErrorAlert error={plugins.error} />;
  const on = plugins.data.items.some((p) => p.name === plugin && p.enabled);
  if (!def || !Component || !on) return <p>{t('app.notFound')}</p>;
  if (!allows(permissions, def.permission)) return <p data-testid="forbidden">{t('app.forbidden')}</p>;
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}
