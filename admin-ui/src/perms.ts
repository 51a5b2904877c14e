// Permission strings `<area>:<read|write>` as the API grants them (core/users/roles.ts):
// `orders:write` is granted by itself, `orders:*`, `*:write` or `*`.
import type { Access, UserCtx } from './nav';

export function hasPermission(granted: readonly string[], wanted: string): boolean {
  if (granted.includes('*') || granted.includes(wanted)) return true;
  const [area, action] = wanted.split(':');
  return granted.includes(`${area}:*`) || granted.includes(`*:${action}`);
}

/** Any-of: an item that names several permissions shows when one of them is granted. */
export function allows(granted: readonly string[], wanted: string | readonly string[] | undefined): boolean {
  if (!wanted) return true;
  const list = typeof wanted === 'string' ? [wanted] : wanted;
  return list.length === 0 || list.some((w) => hasPermission(granted, w));
}

/** An item or page: its any-of, its all-of and its predicate all hold. */
export function canOpen(user: UserCtx, access: Access | undefined): boolean {
  if (!access) return true;
  if (!allows(user.permissions, access.permission)) return false;
  if (access.allOf && !access.allOf.every((p) => hasPermission(user.permissions, p))) return false;
  return access.isVisible ? access.isVisible(user) : true;
}
