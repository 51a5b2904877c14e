// The consoles' navigation. Every item names the permissions (any-of) that may open it; items
// the signed-in role lacks are not rendered, and the routes check the same (a 403 page).
export interface NavItem {
  key: string;
  /** i18n key of the label, or labels per language (plugin pages bring their own). */
  label: string | Record<string, string>;
  to: string;
  permission?: string | string[];
  /** Also active on deeper paths (lists with detail pages). */
  prefix?: boolean;
}

export const storeNav: NavItem[] = [
  { key: 'dashboard', label: 'nav.dashboard', to: '/store', permission: 'orders:read' },
  { key: 'products', label: 'nav.products', to: '/store/products', permission: 'catalog:read', prefix: true },
  { key: 'orders', label: 'nav.orders', to: '/store/orders', permission: 'orders:read', prefix: true },
  { key: 'returns', label: 'nav.returns', to: '/store/returns', permission: 'returns:read' },
  { key: 'customers', label: 'nav.customers', to: '/store/customers', permission: 'customers:read', prefix: true },
  { key: 'staff', label: 'nav.staff', to: '/store/staff', permission: 'staff:read' },
  { key: 'apiKeys', label: 'nav.apiKeys', to: '/store/api-keys', permission: 'api-keys:read' },
  { key: 'plugins', label: 'nav.plugins', to: '/store/plugins', permission: 'plugins:read', prefix: true },
  { key: 'settings', label: 'nav.settings', to: '/store/settings', permission: 'store:read' },
];

export const platformNav: NavItem[] = [
  { key: 'tenants', label: 'nav.tenants', to: '/platform', prefix: false },
  { key: 'catalogue', label: 'nav.catalogue', to: '/platform/plugins' },
  { key: 'audit', label: 'nav.audit', to: '/platform/audit' },
  { key: 'admins', label: 'nav.admins', to: '/platform/admins' },
];
