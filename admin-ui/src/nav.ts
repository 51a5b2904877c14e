// The consoles' navigation and the access of their pages. Every item and page names the
// permissions that may open it: `permission` any-of, `allOf` all-of, and an optional
// `isVisible(user)` predicate ANDed with them (Vendure #5156: what a user may call is not
// always what they should see). Items the signed-in user may not open are not rendered, and the
// routes check the same (a 403 page); the API enforces the permissions itself.
export interface UserCtx {
  permissions: readonly string[];
  /** The staff member's role (absent for an API key or a platform admin). */
  role?: string;
  /** The plugins on for the store. */
  plugins?: ReadonlySet<string>;
}

export interface Access {
  /** Any-of: one of these is enough. */
  permission?: string | string[];
  /** All-of: every one of these is needed. */
  allOf?: string[];
  isVisible?: (user: UserCtx) => boolean;
}

export interface NavItem extends Access {
  key: string;
  /** i18n key of the label, or labels per language (plugin pages bring their own). */
  label: string | Record<string, string>;
  to: string;
  /** Also active on deeper paths (lists with detail pages). */
  prefix?: boolean;
}

/** The store console's pages by route path (under /store), with who may open them. */
export const storePages = {
  '/': { permission: 'orders:read' },
  products: { permission: 'catalog:read' },
  'products/new': { permission: 'catalog:write' },
  'products/$productId': { permission: 'catalog:read' },
  orders: { permission: 'orders:read' },
  'orders/$orderId': { permission: 'orders:read' },
  returns: { permission: 'returns:read' },
  customers: { permission: 'customers:read' },
  'customers/$customerId': { permission: 'customers:read' },
  staff: { permission: 'staff:read' },
  'api-keys': { permission: 'api-keys:read' },
  plugins: { permission: 'plugins:read' },
  'plugins/$name': { permission: 'plugins:read' },
  audit: { permission: 'audit:read' },
  settings: { permission: 'store:read' },
} satisfies Record<string, Access>;

export type StorePagePath = keyof typeof storePages;

const item = (key: string, path: StorePagePath, prefix = false): NavItem => ({ key, label: `nav.${key}`, to: path === '/' ? '/store' : `/store/${path}`, ...storePages[path], ...(prefix ? { prefix } : {}) });

export const storeNav: NavItem[] = [
  item('dashboard', '/'),
  item('products', 'products', true),
  item('orders', 'orders', true),
  item('returns', 'returns'),
  item('customers', 'customers', true),
  item('staff', 'staff'),
  item('apiKeys', 'api-keys'),
  item('plugins', 'plugins', true),
  item('audit', 'audit'),
  item('settings', 'settings'),
];

export const platformNav: NavItem[] = [
  { key: 'tenants', label: 'nav.tenants', to: '/platform', prefix: false },
  { key: 'catalogue', label: 'nav.catalogue', to: '/platform/plugins' },
  { key: 'audit', label: 'nav.audit', to: '/platform/audit' },
  { key: 'admins', label: 'nav.admins', to: '/platform/admins' },
];
