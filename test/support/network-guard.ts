// No test may reach the internet: every socket the test process opens must go to loopback (or a
// Unix socket). Anything else is refused before a packet leaves, recorded, and the test that did
// it fails in the root afterEach hook (test/setup.ts). Host names other than `localhost` are
// refused too, since resolving them would already ask a DNS server.
import net from 'node:net';

const violations: string[] = [];
let installed = false;

export function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

export function installNetworkGuard(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    // net.connect() passes its normalised arguments as one array.
    const list = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    const first = list[0];
    let host: string | undefined;
    let path: string | undefined;
    if (first && typeof first === 'object') {
      const o = first as { host?: string; path?: string };
      host = o.host;
      path = o.path;
    } else if (typeof first === 'string' && !/^\d+$/.test(first)) {
      path = first;
    } else if (typeof list[1] === 'string') {
      host = list[1];
    }
    if (!path && !isLoopback(host)) {
      const what = `a test opened a socket to ${host}, which is not loopback`;
      violations.push(what);
      const err = Object.assign(new Error(`network guard: ${what}`), { code: 'ENETUNREACH' });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

/** The refused connections since the last call (and forgets them). */
export function takeNetworkViolations(): string[] {
  return violations.splice(0);
}
