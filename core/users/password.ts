// Passwords are hashed with scrypt (memory-hard, in Node's crypto: no native add-on to build).
// Format: scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>, so the cost can rise without a migration.
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
const KEY_LEN = 32;

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = crypto.randomBytes(16);
  const N = 2 ** cost;
  const r = 8;
  const p = 1;
  const hash = await scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${cost}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, costS, rS, pS, saltS, hashS] = stored.split('$');
  if (alg !== 'scrypt' || !hashS) return false;
  const N = 2 ** Number(costS);
  const r = Number(rS);
  const expected = Buffer.from(hashS, 'base64');
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(saltS, 'base64'), expected.length, { N, r, p: Number(pS), maxmem: 256 * N * r });
  return crypto.timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/** Spends the same time as a real check, so an unknown email is not told apart by timing. */
export async function burnPasswordCheck(password: string, cost: number): Promise<void> {
  dummy ??= hashPassword('not-a-real-password', cost);
  await verifyPassword(password, await dummy);
}
