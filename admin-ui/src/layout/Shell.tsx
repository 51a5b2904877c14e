import { AnchorLink } from '../components';
// One shell for both consoles: header (menu button at phone width, console switch, language,
// sign out), navigation filtered by the role's permissions, and the page.
import { useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { AppShell, Burger, Button, Group, NativeSelect, NavLink, Text, Box } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useLocation, useNavigate, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { getSession, onSessionChange, setSession, storeSessions, STORES_KEY, switchStore, type Scope } from '../session';
import { queryClient } from '../query';
import type { NavItem } from '../nav';
import { PSEUDO, pseudoString } from '../pseudo';

export function useSession(scope: Scope) {
  return useSyncExternalStore(onSessionChange, () => localStorage.getItem(`bazaar.console.session.${scope}`)) ? getSession(scope) : null;
}

/** The store sessions held (a stable snapshot: the stored text, parsed on change). */
export function useStoreSessions() {
  const raw = useSyncExternalStore(onSessionChange, () => localStorage.getItem(STORES_KEY));
  return useMemo(() => storeSessions(), [raw]);
}

/**
 * Moves between the stores this browser is signed in to, and the platform console: the store
 * caches are dropped on a switch, so nothing of one store shows in another (UI-2).
 */
export function StoreSwitch({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const stores = useStoreSessions();
  const current = useSession('store');
  const platform = useSession('platform');
  const destinations = stores.length + (platform ? 1 : 0);
  if (destinations < 2 && !(scope === 'platform' && stores.length > 0)) return null;
  const currentIndex = current ? stores.findIndex((s) => s.tenant === current.tenant && s.email === current.email) : -1;
  const value = scope === 'platform' ? 'platform' : `store:${currentIndex}`;
  const onChange = (v: string) => {
    if (v === 'platform') void navigate({ to: '/platform' });
    else if (v === 'add') void navigate({ to: '/sign-in', search: { scope: 'store' } });
    else {
      const chosen = stores[Number(v.slice('store:'.length))];
      if (!chosen) return;
      queryClient.removeQueries({ queryKey: ['store'] });
      switchStore(chosen);
      void navigate({ to: '/store' });
    }
  };
  return (
    <Box translate="no" data-testid="store-switch" mb="sm">
      <NativeSelect
        aria-label={t('app.switchStore')}
        size="xs"
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[
          ...stores.map((s, i) => ({ value: `store:${i}`, label: `${s.tenant} · ${s.email}` })),
          ...(platform ? [{ value: 'platform', label: t('app.platformConsole') }] : []),
          { value: 'add', label: t('app.addStore') },
        ]}
      />
    </Box>
  );
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Box translate="no" data-testid="language-switch">
      <NativeSelect
        aria-label={t('app.language')}
        size="xs"
        value={i18n.language}
        onChange={(e) => void i18n.changeLanguage(e.currentTarget.value)}
        data={[...LANGUAGES.map((l) => ({ value: l.code, label: l.label as string })), ...(i18n.language === PSEUDO ? [{ value: PSEUDO, label: PSEUDO }] : [])]}
      />
    </Box>
  );
}

export function navLabel(item: NavItem, t: (k: string) => string, lang: string): string {
  if (typeof item.label === 'string') return t(item.label);
  return lang === PSEUDO ? pseudoString(item.label.en ?? item.key) : (item.label[lang] ?? item.label.en ?? item.key);
}

export function Shell({ scope, nav, title, who, children }: { scope: Scope; nav: NavItem[]; title: string; who: ReactNode; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const router = useRouter();
  const other: Scope = scope === 'store' ? 'platform' : 'store';
  const otherSession = useSession(other);
  const session = useSession(scope);
  useEffect(close, [location.pathname, close]);
  useEffect(() => {
    if (!session) void navigate({ to: '/sign-in', search: { scope } });
  }, [session, navigate, scope]);

  const signOut = async () => {
    const s = getSession(scope);
    if (s) {
      await fetch(scope === 'store' ? '/admin/v1/auth/logout' : '/platform/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${s.token}` } }).catch(() => undefined);
    }
    setSession(scope, null);
    queryClient.removeQueries({ queryKey: [scope] });
    // Another store this browser is signed in to takes over.
    const next = scope === 'store' ? storeSessions().at(-1) : undefined;
    if (next) {
      switchStore(next);
      await navigate({ to: '/store' });
    }
    await router.invalidate();
  };

  const path = location.pathname.replace(/^\/admin/, '').replace(/\/$/, '') || '/';
  const active = (item: NavItem) => path === item.to || (item.prefix === true && path.startsWith(item.to + '/'));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.menu')} />
            <Text fw={700} translate="no">
              {t('app.name')}
            </Text>
            <Text size="sm" visibleFrom="xs">
              {title}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <Button size="xs" variant="default" onClick={() => void signOut()}>
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={title} component="nav">
        <Box mb="sm" px="xs">
          {who}
        </Box>
        <Box px="xs">
          <StoreSwitch scope={scope} />
        </Box>
        {nav.map((item) => (
          <NavLink key={item.key} component={Link} to={item.to} activeOptions={{ exact: !item.prefix }} variant="filled" label={navLabel(item, t, i18n.language)} active={active(item)} data-testid={`nav-${item.key}`} />
        ))}
        <Box mt="md" px="xs">
          {otherSession ? (
            <AnchorLink to={other === 'store' ? '/store' : '/platform'} size="sm">
              {t(other === 'store' ? 'app.storeConsole' : 'app.platformConsole')}
            </AnchorLink>
          ) : (
            <AnchorLink to="/sign-in" search={{ scope: other }} size="sm">
              {t('app.signInOther')}
            </AnchorLink>
          )}
        </Box>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
