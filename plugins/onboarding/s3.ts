// An S3-compatible document store (AWS S3, MinIO, Ceph, R2, OSS in S3 mode): PUT, GET and DELETE
// of one object, signed with AWS Signature Version 4 (header auth, signed payload). Written on
// node's fetch and crypto rather than the AWS SDK: three calls do not justify the dependency.
import crypto from 'node:crypto';
import { UnavailableError } from '@bazaar/sdk';
import type { DocumentStore } from './files.js';

export interface S3Options {
  /** `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000` (MinIO). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix inside the bucket, e.g. `onboarding/`. */
  prefix?: string;
  /** `https://endpoint/bucket/key` (default; MinIO and most compatibles) or `https://bucket.endpoint/key`. */
  pathStyle?: boolean;
  timeoutMs?: number;
}

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => crypto.createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding of one path segment, as SigV4 wants it. */
const encodeSegment = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface SignInput {
  method: string;
  url: URL;
  /** Headers to sign besides host, x-amz-date and x-amz-content-sha256 (lower-case names). */
  headers?: Record<string, string>;
  payloadHash: string;
  now: Date;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  service?: string;
}

/** SigV4 for one request: the headers to send, Authorization included. */
export function signV4(i: SignInput): Record<string, string> {
  const amzDate = i.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const service = i.service ?? 's3';
  const headers: Record<string, string> = { ...(i.headers ?? {}), host: i.url.host, 'x-amz-content-sha256': i.payloadHash, 'x-amz-date': amzDate };
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim().replace(/\s+/g, ' ')]));
  const query = [...i.url.searchParams.entries()].map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).sort().join('&');
  const canonical = [i.method, i.url.pathname, query, names.map((n) => `${n}:${lower[n]}\n`).join(''), names.join(';'), i.payloadHash].join('\n');
  const scope = `${day}/${i.region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${i.secretAccessKey}`, day), i.region), service), 'aws4_request');
  const signature = crypto.createHmac('sha256', key).update(toSign).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${i.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

export class S3Store implements DocumentStore {
  private readonly base: URL;
  constructor(private readonly o: S3Options) {
    const endpoint = new URL(o.endpoint);
    this.base = o.pathStyle === false ? new URL(`${endpoint.protocol}//${o.bucket}.${endpoint.host}/`) : new URL(`${endpoint.origin}/${encodeSegment(o.bucket)}/`);
  }

  private url(key: string): URL {
    if (!/^[a-f0-9-]{36}\/[a-f0-9-]{36}$/.test(key)) throw new Error(`bad storage key ${key}`);
    const full = `${this.o.prefix ?? ''}${key}`;
    return new URL(full.split('/').map(encodeSegment).join('/'), this.base);
  }

  private async send(method: string, key: string, body?: Buffer): Promise<Response> {
    const url = this.url(key);
    const headers = signV4({ method, url, payloadHash: sha256(body ?? ''), now: new Date(), region: this.o.region, accessKeyId: this.o.accessKeyId, secretAccessKey: this.o.secretAccessKey, headers: body ? { 'content-type': 'application/octet-stream' } : {} });
    delete headers.host;
    try {
      return await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new UnavailableError('DOCUMENT_STORE_UNAVAILABLE', `The document store did not answer (${(err as Error).name})`);
    }
  }

  private async fail(res: Response, what: string): Promise<never> {
    const text = (await res.text().catch(() => '')).slice(0, 300);
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? String(res.status);
    throw new UnavailableError('DOCUMENT_STORE_UNAVAILABLE', `The document store refused to ${what}: ${code}`);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const res = await this.send('PUT', key, bytes);
    if (!res.ok) await this.fail(res, 'store a document');
    await res.arrayBuffer();
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.send('GET', key);
    if (!res.ok) await this.fail(res, 'read a document');
    return Buffer.from(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('DELETE', key);
    if (!res.ok && res.status !== 404) await this.fail(res, 'delete a document');
    await res.arrayBuffer();
  }
}
