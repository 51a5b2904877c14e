import { AnchorLink, Loading } from './components';
// Routes of both consoles under /admin. Pages are separate chunks (lazyRouteComponent), so the
// first load carries only the shell; charts and schema forms load with the pages that use them.
import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { Container, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { getSession, type Scope } from './session';
import { StoreConsole, PlatformConsole, useMe } from './layout/Consoles';
import { PluginPage, PlatformPluginPage, PublicPluginPage } from './plugin-pages';
import { storePages, type Access, type StorePagePath } from './nav';

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
  interface StaticDataRouteOption {
    /** Who may open the page (store console): any-of, all-of, a predicate (nav.ts). */
    access?: Access;
  }
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Container p="md">
      <Text>{t('app.notFound')}</Text>
      <AnchorLink to="/">
        {t('app.home')}
      </AnchorLink>
    </Container>
  );
}

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    if (getSession('store')) throw redirect({ to: '/store' });
    if (getSession('platform')) throw redirect({ to: '/platform' });
    throw redirect({ to: '/sign-in', search: { scope: undefined } });
  },
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  validateSearch: (s: Record<string, unknown>): { scope?: Scope } => ({ scope: s.scope === 'platform' || s.scope === 'store' ? s.scope : undefined }),
  component: lazyRouteComponent(() => import('./pages/SignIn')),
});

const storeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'store',
  beforeLoad: () => {
    if (!getSession('store')) throw redirect({ to: '/sign-in', search: { scope: 'store' } });
  },
  component: StoreConsole,
});

const page = <P extends StorePagePath>(path: P, load: () => Promise<{ default: React.ComponentType }>) =>
  createRoute({ getParentRoute: () => storeRoute, path, staticData: { access: storePages[path] }, component: lazyRouteComponent(load) });

const storeDashboard = page('/', () => import('./pages/store/Dashboard'));
const storeProducts = page('products', () => import('./pages/store/Products'));
const storeProductNew = page('products/new', () => import('./pages/store/ProductEditor'));
const storeProduct = page('products/$productId', () => import('./pages/store/ProductEditor'));
const storeOrders = page('orders', () => import('./pages/store/Orders'));
const storeOrder = page('orders/$orderId', () => import('./pages/store/OrderDetail'));
const storeReturns = page('returns', () => import('./pages/store/Returns'));
const storeCustomers = page('customers', () => import('./pages/store/Customers'));
const storeCustomer = page('customers/$customerId', () => import('./pages/store/CustomerDetail'));
const storeStaff = page('staff', () => import('./pages/store/Staff'));
const storeApiKeys = page('api-keys', () => import('./pages/store/ApiKeys'));
const storePlugins = page('plugins', () => import('./pages/store/Plugins'));
const storePlugin = page('plugins/$name', () => import('./pages/store/PluginSettings'));
const storeSettings = page('settings', () => import('./pages/store/Settings'));
const storeAudit = page('audit', () => import('./pages/store/Audit'));

function PluginRoute() {
  const me = useMe();
  if (me.isPending) return <Loading />; // which platform plugins act for the store comes with it
  return <PluginPage permissions={me.data?.permissions ?? []} role={me.data?.staff?.role} platformPlugins={me.data?.platformPlugins} />;
}
const storeExt = createRoute({ getParentRoute: () => storeRoute, path: 'ext/$plugin/$page', component: PluginRoute });

const platformRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'platform',
  beforeLoad: () => {
    if (!getSession('platform')) throw redirect({ to: '/sign-in', search: { scope: 'platform' } });
  },
  component: PlatformConsole,
});
const ppage = <P extends string>(path: P, load: () => Promise<{ default: React.ComponentType }>) => createRoute({ getParentRoute: () => platformRoute, path, component: lazyRouteComponent(load) });
const platformTenants = ppage('/', () => import('./pages/platform/Tenants'));
const platformTenant = ppage('tenants/$tenantId', () => import('./pages/platform/TenantDetail'));
const platformPlugins = ppage('plugins', () => import('./pages/platform/PluginCatalogue'));
const platformAudit = ppage('audit', () => import('./pages/platform/Audit'));
const platformAdmins = ppage('admins', () => import('./pages/platform/Admins'));
const platformExt = createRoute({ getParentRoute: () => platformRoute, path: 'ext/$plugin/$page', component: PlatformPluginPage });

// A plugin's page for people without a console session (surface `public`: a merchant applying).
function PublicPage() {
  return (
    <Container size="md" p="md" component="main">
      <PublicPluginPage />
    </Container>
  );
}
const publicExt = createRoute({ getParentRoute: () => rootRoute, path: 'ext/$plugin/$page', component: PublicPage });

const routeTree = rootRoute.addChildren([
  indexRoute,
  signInRoute,
  publicExt,
  storeRoute.addChildren([storeDashboard, storeProducts, storeProductNew, storeProduct, storeOrders, storeOrder, storeReturns, storeCustomers, storeCustomer, storeStaff, storeApiKeys, storePlugins, storePlugin, storeAudit, storeSettings, storeExt]),
  platformRoute.addChildren([platformTenants, platformTenant, platformPlugins, platformAudit, platformAdmins, platformExt]),
]);

export const router = createRouter({ routeTree, basepath: '/admin', defaultPreload: false, scrollRestoration: true });
