// Documents: checked by their bytes (not their name or header), encrypted with AES-256-GCM and
// kept through a small storage interface; the local disk keeps a directory per applicant.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type Format = 'pdf' | 'jpg' | 'png';

/** What the bytes are, from their magic numbers; undefined when none of the accepted kinds. */
export function sniff(bytes: Buffer): Format | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  return undefined;
}

export const CONTENT_TYPES: Record<Format, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', png: 'image/png' };
export const EXTENSIONS: Record<Format, string[]> = { pdf: ['pdf'], jpg: ['jpg', 'jpeg'], png: ['png'] };

export interface DocumentStore {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

export class LocalDiskStore implements DocumentStore {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    if (!/^[a-f0-9-]{36}\/[a-f0-9-]{36}$/.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const f = this.file(key);
    await fs.mkdir(path.dirname(f), { recursive: true, mode: 0o700 });
    await fs.writeFile(f, bytes, { mode: 0o600 });
  }

  get(key: string): Promise<Buffer> {
    return fs.readFile(this.file(key));
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }
}

/** AES-256-GCM: 12-byte IV, 16-byte tag, ciphertext. */
export class Sealer {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the onboarding encryption key must be 32 bytes (base64)');
    this.key = key;
  }

  seal(plain: Buffer): Buffer {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  open(sealed: Buffer): Buffer {
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    d.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
  }

  sealText(s: string): string {
    return 'enc:' + this.seal(Buffer.from(s, 'utf8')).toString('base64');
  }

  openText(s: string): string {
    return s.startsWith('enc:') ? this.open(Buffer.from(s.slice(4), 'base64')).toString('utf8') : s;
  }
}

export const mask = (s: string) => (s.length <= 4 ? '****' : `****${s.slice(-4)}`);

export async function scryptHash(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await new Promise<Buffer>((res, rej) => crypto.scrypt(password, salt, 32, { N: 16384, r: 8, p: 1 }, (e, k) => (e ? rej(e) : res(k))));
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function scryptVerify(password: string, stored: string): Promise<boolean> {
  const [, salt, hash] = stored.split('$');
  const key = await new Promise<Buffer>((res, rej) => crypto.scrypt(password, Buffer.from(salt, 'base64'), 32, { N: 16384, r: 8, p: 1 }, (e, k) => (e ? rej(e) : res(k))));
  return crypto.timingSafeEqual(key, Buffer.from(hash, 'base64'));
}
