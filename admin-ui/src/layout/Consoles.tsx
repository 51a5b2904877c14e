// The two consoles' frames: who is signed in, which navigation they may see, and a 403 page
// for a route their role may not open (the API refuses it too).
import type { ReactNode } from 'react';
import { Alert, Text } from '@mantine/core';
import { Outlet, useMatches } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, platformApi } from '../api';
import { canOpen } from '../perms';
import { storeNav, platformNav, type NavItem, type UserCtx } from '../nav';
import { Shell, useSession } from './Shell';
import { ErrorAlert, Loading, Data } from '../components';
import { usePluginNav, usePlatformPluginNav } from '../plugin-pages';

export interface Me {
  type: 'staff' | 'apiKey';
  staff?: { id: string; email: string; name: string; role: string };
  permissions: string[];
  tenant: { id: string; slug: string; name: string };
  /** Platform plugins acting for this store (onboarding, for a store it opened): their store pages apply. */
  platformPlugins?: string[];
}

export function useMe() {
  const session = useSession('store');
  return useQuery({ queryKey: ['store', session?.tenant, session?.email, 'me'], queryFn: () => storeApi<Me>('GET', '/me'), enabled: Boolean(session) });
}

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" data-testid="forbidden" title="403">
      {t('app.forbidden')}
    </Alert>
  );
}

function Guarded({ user, children }: { user: UserCtx; children: ReactNode }) {
  const matches = useMatches();
  const access = matches[matches.length - 1]?.staticData?.access;
  return canOpen(user, access) ? <>{children}</> : <Forbidden />;
}

export function StoreConsole() {
  const { t } = useTranslation();
  const me = useMe();
  const permissions = me.data?.permissions ?? [];
  const user: UserCtx = { permissions, role: me.data?.staff?.role };
  const pluginNav = usePluginNav(permissions, user.role, me.data?.platformPlugins);
  const nav: NavItem[] = me.data ? [...storeNav.filter((i) => canOpen(user, i)), ...pluginNav] : [];
  const who = me.data && (
    <>
      <Text size="sm" fw={600}>
        <Data>{me.data.tenant.name}</Data>
      </Text>
      <Text size="xs">
        <Data>{me.data.staff?.email}</Data> · {t(`staff.roles.${me.data.staff?.role ?? 'viewer'}`)}
      </Text>
    </>
  );
  return (
    <Shell scope="store" nav={nav} title={t('app.storeConsole')} who={who}>
      {me.isPending ? <Loading /> : me.error ? <ErrorAlert error={me.error} /> : <Guarded user={user}><Outlet /></Guarded>}
    </Shell>
  );
}

export function PlatformConsole() {
  const { t } = useTranslation();
  const session = useSession('platform');
  const me = useQuery({ queryKey: ['platform', session?.email, 'me'], queryFn: () => platformApi<{ id: string; email: string; name: string }>('GET', '/me'), enabled: Boolean(session) });
  const who = me.data && (
    <Text size="xs">
      <Data>{me.data.email}</Data>
    </Text>
  );
  const pluginNav = usePlatformPluginNav();
  return (
    <Shell scope="platform" nav={[...platformNav, ...pluginNav]} title={t('app.platformConsole')} who={who}>
      {me.isPending ? <Loading /> : me.error ? <ErrorAlert error={me.error} /> : <Outlet />}
    </Shell>
  );
}
