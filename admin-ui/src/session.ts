// The two sessions the console can hold at once: a store's staff member and a platform admin.
// Tokens live in localStorage under one key each, so both consoles stay signed in together.
export type Scope = 'store' | 'platform';

export interface Session {
  token: string;
  expiresAt: string;
  /** The store's slug (store sessions). */
  tenant?: string;
  email: string;
}

const key = (scope: Scope) => `bazaar.console.session.${scope}`;
const listeners = new Set<() => void>();

export function getSession(scope: Scope): Session | null {
  try {
    const raw = localStorage.getItem(key(scope));
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s.token || Date.parse(s.expiresAt) < Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

export function setSession(scope: Scope, s: Session | null): void {
  if (s) localStorage.setItem(key(scope), JSON.stringify(s));
  else localStorage.removeItem(key(scope));
  for (const l of listeners) l();
}

export function onSessionChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
