// Staff roles map to permission strings `<area>:<read|write>`. Plugins add their own areas;
// a wildcard on either side covers them.
export const ROLES = ['owner', 'admin', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_PERMISSIONS: Record<Role, string[]> = {
  owner: ['*'],
  admin: ['*'],
  staff: ['store:read', 'catalog:*', 'inventory:*', 'orders:*', 'returns:*', 'customers:read', 'plugins:read'],
  viewer: ['*:read'],
};

export function permissionsFor(role: string): ReadonlySet<string> {
  return new Set(ROLE_PERMISSIONS[role as Role] ?? []);
}

/** `orders:write` is granted by `orders:write`, `orders:*`, `*:write` or `*`. */
export function hasPermission(granted: ReadonlySet<string>, wanted: string): boolean {
  if (granted.has('*') || granted.has(wanted)) return true;
  const [area, action] = wanted.split(':');
  return granted.has(`${area}:*`) || granted.has(`*:${action}`);
}

/** Each role with the permissions it grants, for the console's roles table. */
export function listRoles(): { role: Role; permissions: string[] }[] {
  return ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] }));
}
