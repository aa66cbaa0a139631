/**
 * Credentials and permissions for the server.
 *
 * - Passwords are hashed with scrypt (node:crypto) into a self-describing string
 *   `scrypt$N$r$p$salt$hash` (base64url), compared in constant time.
 * - API tokens are 32 random bytes (`pvs_` + base64url), shown once; the store keeps only
 *   their SHA-256. Session ids likewise: the cookie carries the id, the store its hash.
 * - Permissions are a closed table from role to actions: viewers only read (a token for a
 *   viewer is made by an admin); analysts also write evidence, manage their own tokens and
 *   read the audit log; admins also manage users, others' tokens and
 *   webhooks.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { Role } from '../ports/team-store.ts';

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, { N: n, r, p, maxmem: 256 * n * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that costs as much to check as a real one, so unknown user names take as long as wrong passwords. */
export const DUMMY_PASSWORD_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export const MIN_PASSWORD_LENGTH = 10;

export function newApiToken(): string {
  return `pvs_${randomBytes(32).toString('base64url')}`;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time string comparison (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const ACTIONS = [
  'read',
  'evidence.write',
  'token.own',
  'token.any',
  'user.manage',
  'webhook.manage',
  'audit.read',
  'alerts.read',
] as const;
export type Action = (typeof ACTIONS)[number];

const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  viewer: ['read', 'alerts.read'],
  analyst: ['read', 'token.own', 'alerts.read', 'evidence.write', 'audit.read'],
  admin: ACTIONS,
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].includes(action);
}
