// Permission strings `<area>:<read|write>` as the API grants them (core/users/roles.ts):
// `orders:write` is granted by itself, `orders:*`, `*:write` or `*`.
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
