// Outbound POSTs to tenant-given URLs. A tenant must not be able to aim the platform at its own
// network (cloud metadata at 169.254.169.254, a database on 10.0.0.5): unless allowed, the
// address is checked when the URL is saved and again on every connection, after DNS, so a name
// that later resolves to a private address (DNS rebinding) is refused too.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export class TargetRefusedError extends Error {}

/** Only ordinary public unicast addresses; loopback, private, link-local, CGNAT, reserved are not. */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/i;

/** Why a URL may not be a webhook target, or null. DNS is not consulted here (see post()). */
export function refuseUrl(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http or https';
  if (url.username || url.password) return 'must not carry credentials';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return isPublicAddress(host) ? null : 'points at a private or loopback address';
  if (PRIVATE_NAMES.test(host) || !host.includes('.')) return 'names a private host';
  return null;
}

export type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(new TargetRefusedError(`${hostname} resolves to ${bad.address}, a private address`), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

export interface PostResult {
  status: number | null;
  durationMs: number;
  /** First kilobyte of the answer, for the attempt log. */
  excerpt: string | null;
  error: string | null;
}

export function post(target: string, body: string, headers: Record<string, string>, opts: { timeoutMs: number; allowPrivate: boolean }): Promise<PostResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  return new Promise((resolve) => {
    const refused = refuseUrl(target, opts.allowPrivate);
    if (refused) return resolve({ status: null, durationMs: 0, excerpt: null, error: `target ${refused}` });
    const url = new URL(target);
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, durationMs: elapsed() });
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: opts.allowPrivate ? undefined : (guardedLookup as never),
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 1024) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => finish({ status: res.statusCode ?? null, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, 1024) || null, error: null }));
        res.on('error', (err) => finish({ status: res.statusCode ?? null, excerpt: null, error: err.message }));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
    });
    req.on('error', (err) => finish({ status: null, excerpt: null, error: err.message.slice(0, 300) }));
    req.end(body);
  });
}
