// Widget zones (UI-4): a named place on a page where the plugins on for the store put their
// widgets (ConsolePlugin.widgets). A widget shows only where its plugin is on and the signed-in
// user's permissions allow it; its code is loaded when a zone first shows it, and a widget that
// fails to load or throws shows a short notice in its own box, never breaking the page.
import { Component, lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { Alert, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from './layout/Consoles';
import { canOpen } from './perms';
import { consolePlugins, useTenantPlugins } from './plugin-pages';
import type { ConsoleWidget, WidgetProps } from './plugin-api';
import { Loading } from './components';
import { allows } from './perms';

const loaded = new Map<string, LazyExoticComponent<ComponentType<WidgetProps>>>();

function lazyWidget(plugin: string, w: ConsoleWidget) {
  const key = `${plugin}:${w.key}`;
  if (!loaded.has(key)) loaded.set(key, lazy(w.load));
  return loaded.get(key)!;
}

function Failed() {
  const { t } = useTranslation();
  return (
    <Alert color="gray" variant="light" data-testid="widget-failed">
      {t('widgets.failed')}
    </Alert>
  );
}

class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch(error: unknown) {
    console.error('console widget failed', error);
  }
  render() {
    return this.state.failed ? <Failed /> : this.props.children;
  }
}

/** The widgets of a zone that the user may see, in order (pure, for tests and the zone). */
export function widgetsFor(zone: string, user: { permissions: readonly string[]; role?: string; plugins: ReadonlySet<string> }) {
  return consolePlugins
    .filter((c) => user.plugins.has(c.plugin))
    .flatMap((c) => (c.widgets ?? []).filter((w) => w.zone === zone && canOpen(user, w)).map((w) => ({ plugin: c.plugin, widget: w })))
    .sort((a, b) => (a.widget.order ?? 0) - (b.widget.order ?? 0) || a.plugin.localeCompare(b.plugin));
}

/** A zone of a store console page: renders nothing when no widget is for it. */
export function WidgetZone({ zone, entityId }: { zone: string; entityId?: string }) {
  const me = useMe();
  const permissions = me.data?.permissions ?? [];
  const anyWidget = consolePlugins.some((c) => c.widgets?.some((w) => w.zone === zone));
  const plugins = useTenantPlugins(anyWidget && allows(permissions, 'plugins:read'));
  if (!anyWidget || !me.data || !plugins.data) return null;
  const on = new Set(plugins.data.items.filter((p) => p.enabled).map((p) => p.name));
  const shown = widgetsFor(zone, { permissions, role: me.data.staff?.role, plugins: on });
  if (shown.length === 0) return null;
  return (
    <Stack gap="sm" my="sm" data-zone={zone}>
      {shown.map(({ plugin, widget }) => {
        const Widget = lazyWidget(plugin, widget);
        return (
          <div key={`${plugin}:${widget.key}`} data-widget={`${plugin}:${widget.key}`}>
            <Boundary>
              <Suspense fallback={<Loading />}>
                <Widget zone={zone} entityId={entityId} />
              </Suspense>
            </Boundary>
          </div>
        );
      })}
    </Stack>
  );
}
