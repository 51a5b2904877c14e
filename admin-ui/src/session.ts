// The sessions the console holds: a platform admin's, and a store staff member's in each store
// they signed in to (one of them current). Tokens live in localStorage, so the consoles stay
// signed in together and a staff member of several stores moves between them without signing
// in again (the store switcher).
export type Scope = 'store' | 'platform';

export interface Session {
  token: string;
  expiresAt: string;
  /** The store's slug (store sessions). */
  tenant?: string;
  email: string;
}

const key = (scope: Scope) => `bazaar.console.session.${scope}`;
/** Every store session held, the current one included. */
export const STORES_KEY = 'bazaar.console.stores';
const listeners = new Set<() => void>();

function valid(s: Session | null | undefined): s is Session {
  return Boolean(s && s.token && Date.parse(s.expiresAt) >= Date.now());
}

export function getSession(scope: Scope): Session | null {
  try {
    const raw = localStorage.getItem(key(scope));
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return valid(s) ? s : null;
  } catch {
    return null;
  }
}

const same = (a: Session, b: Session) => a.tenant === b.tenant && a.email === b.email;

/** The store sessions held (unexpired), in the order they were signed in. */
export function storeSessions(): Session[] {
  try {
    const list = JSON.parse(localStorage.getItem(STORES_KEY) ?? '[]') as Session[];
    return Array.isArray(list) ? list.filter(valid) : [];
  } catch {
    return [];
  }
}

function saveStores(list: Session[]) {
  if (list.length) localStorage.setItem(STORES_KEY, JSON.stringify(list));
  else localStorage.removeItem(STORES_KEY);
}

/**
 * Sets (or, with null, ends) the current session of a console. A store session joins the
 * switcher's list; ending the current store session drops it from the list too.
 */
export function setSession(scope: Scope, s: Session | null): void {
  if (scope === 'store') {
    const current = getSession('store');
    const others = storeSessions().filter((x) => !(s && same(x, s)) && !(s === null && current && same(x, current)));
    saveStores(s ? [...others, s] : others);
  }
  if (s) localStorage.setItem(key(scope), JSON.stringify(s));
  else localStorage.removeItem(key(scope));
  for (const l of listeners) l();
}

/** Makes one of the held store sessions the current one. */
export function switchStore(s: Session): void {
  localStorage.setItem(key('store'), JSON.stringify(s));
  for (const l of listeners) l();
}

export function onSessionChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
