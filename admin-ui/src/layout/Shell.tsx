import { AnchorLink } from '../components';
// One shell for both consoles: header (menu button at phone width, console switch, language,
// sign out), navigation filtered by the role's permissions, and the page.
import { useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { AppShell, Burger, Button, Group, NativeSelect, NavLink, Text, Box } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useLocation, useNavigate, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { getSession, onSessionChange, setSession, type Scope } from '../session';
import { queryClient } from '../query';
import type { NavItem } from '../nav';

export function useSession(scope: Scope) {
  return useSyncExternalStore(onSessionChange, () => localStorage.getItem(`bazaar.console.session.${scope}`)) ? getSession(scope) : null;
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
        data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      />
    </Box>
  );
}

export function navLabel(item: NavItem, t: (k: string) => string, lang: string): string {
  return typeof item.label === 'string' ? t(item.label) : (item.label[lang] ?? item.label.en ?? item.key);
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
