// Write-only plugin settings (gateway keys, webhook secrets) are encrypted at rest with AES-256-GCM,
// so a database dump alone does not reveal them. The key comes from the environment:
//
//   BAZAAR_SECRETS_KEY            32 bytes, base64 (openssl rand -base64 32): encrypts new values
//   BAZAAR_SECRETS_KEYS_PREVIOUS  comma-separated older keys, still read while values are rotated
//
// Each value is stored as `enc:v1:<key id>:<base64 iv|tag|ciphertext>`; the key id (8 hex of the
// key's SHA-256) picks the key to decrypt with. Rotation: put the old key in
// BAZAAR_SECRETS_KEYS_PREVIOUS, the new one in BAZAAR_SECRETS_KEY, restart; values are re-encrypted
// with the new key whenever their settings are next written. Without a key, the embedded default
// generates one and keeps it in data/secrets.key (mode 0600) so `npm start` needs no setup; tests
// (NODE_ENV=test) use a key of the process's own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.js';

const PREFIX = 'enc:v1:';

export interface Box {
  current: { id: string; key: Buffer };
  all: Map<string, Buffer>;
}

let box: Box | undefined;

function keyFrom(b64: string, name: string): Buffer {
  const key = Buffer.from(b64.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes in base64 (openssl rand -base64 32)`);
  return key;
}

const idOf = (key: Buffer) => crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);

function localKey(): Buffer {
  if (process.env.NODE_ENV === 'test') return crypto.randomBytes(32);
  const file = path.join(projectRoot, 'data', 'secrets.key');
  if (fs.existsSync(file)) return keyFrom(fs.readFileSync(file, 'utf8'), file);
  const key = crypto.randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** The keys named by an environment (current first); `local` when it names none. */
export function keyring(env: NodeJS.ProcessEnv, local: () => Buffer = localKey): Box {
  const current = env.BAZAAR_SECRETS_KEY ? keyFrom(env.BAZAAR_SECRETS_KEY, 'BAZAAR_SECRETS_KEY') : local();
  const all = new Map<string, Buffer>([[idOf(current), current]]);
  for (const old of (env.BAZAAR_SECRETS_KEYS_PREVIOUS ?? '').split(',').filter((x) => x.trim())) {
    const k = keyFrom(old, 'BAZAAR_SECRETS_KEYS_PREVIOUS');
    all.set(idOf(k), k);
  }
  return { current: { id: idOf(current), key: current }, all };
}

function secretBox(): Box {
  return (box ??= keyring(process.env));
}

export const isSealed = (v: unknown): v is string => typeof v === 'string' && v.startsWith(PREFIX);

export function seal(value: string, b: Box = secretBox()): string {
  const { current } = b;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', current.key, iv);
  const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `${PREFIX}${current.id}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
}

export function open(value: string, b: Box = secretBox()): string {
  const [id, data] = value.slice(PREFIX.length).split(':');
  const key = b.all.get(id);
  if (!key) throw new Error(`a plugin secret is sealed with key ${id}, which is not configured (BAZAAR_SECRETS_KEY / BAZAAR_SECRETS_KEYS_PREVIOUS)`);
  const raw = Buffer.from(data, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** A copy with the given fields sealed (a value already sealed with the current key is kept). */
export function sealFields(settings: Record<string, unknown> | null, fields: readonly string[], b: Box = secretBox()): Record<string, unknown> | null {
  if (!settings) return settings;
  const out = { ...settings };
  for (const k of fields) {
    const v = out[k];
    if (typeof v !== 'string') continue;
    if (isSealed(v)) {
      if (v.startsWith(`${PREFIX}${b.current.id}:`)) continue;
      out[k] = seal(open(v, b), b); // rotation: re-encrypted with the current key
    } else out[k] = seal(v, b);
  }
  return out;
}

/** A copy with the given fields opened. */
export function openFields(settings: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out = { ...settings };
  for (const k of fields) if (isSealed(out[k])) out[k] = open(out[k]);
  return out;
}
