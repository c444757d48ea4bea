/**
 * Role tokens. The relay stores only SHA-256 hashes and compares hashes in constant time,
 * so a leaked database does not leak tokens and response timing says nothing about them.
 * The prefix tells a person which role a token belongs to (the overlay one may be seen on stream).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '../../shared/domain.js';
import type { TokenHashes } from './room-store.js';

const PREFIX: Record<Role, string> = { host: 'lsh_', cohost: 'lsc_', sales: 'lss_', overlay: 'lso_' };

export function newToken(role: Role): string {
  return PREFIX[role] + randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newRoomTokens(): { tokens: Record<Role, string>; hashes: TokenHashes } {
  const tokens = {} as Record<Role, string>;
  const hashes = {} as TokenHashes;
  for (const role of ROLES) {
    tokens[role] = newToken(role);
    hashes[role] = hashToken(tokens[role]);
  }
  return { tokens, hashes };
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The role a token (given as its hash) grants in a room, checking every role so timing does not depend on which matched. */
export function roleOfHash(h: string, hashes: TokenHashes): Role | undefined {
  let found: Role | undefined;
  for (const role of ROLES) if (sameHash(h, hashes[role]) && found === undefined) found = role;
  return found;
}

export function sameSecret(given: string, expected: string): boolean {
  return sameHash(hashToken(given), hashToken(expected));
}

export function newRoomId(): string {
  return 'r_' + randomBytes(8).toString('base64url').replace(/[-_]/g, 'x');
}
