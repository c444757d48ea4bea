/**
 * Pairing links: one string a person pastes into the extension, holding the relay URL,
 * the room, the role and the token. The secret sits in the URL fragment (`#…`), which a
 * browser never sends to a server, so opening the link by mistake leaks nothing to logs.
 *   http://127.0.0.1:4600/pair#v=1&room=r_abc&role=host&token=…
 */
import { ROLES, type Role } from './domain.js';

export interface Pairing {
  relayUrl: string;
  room: string;
  role: Role;
  token: string;
}

export function pairingLink(relayUrl: string, room: string, role: Role, token: string): string {
  const base = relayUrl.replace(/\/+$/, '');
  const q = new URLSearchParams({ v: '1', room, role, token });
  return `${base}/pair#${q.toString()}`;
}

export function overlayLink(relayUrl: string, room: string, token: string): string {
  const base = relayUrl.replace(/\/+$/, '');
  return `${base}/overlay/?${new URLSearchParams({ room, token }).toString()}`;
}

// The report page's link is zod-free in its own module, for the web console's first bundle.
export { reportLink } from './report-link.js';

/**
 * Why a pasted text is not a pairing link, as a code (and the role it named) that the extension
 * words in the host's language; shared/ holds no UI text.
 */
export type PairingErrorCode = 'not_a_link' | 'not_http' | 'overlay_link' | 'not_pairing' | 'cut_short' | 'unknown_role';
export interface PairingError {
  code: PairingErrorCode;
  params: Record<string, string>;
}
export type PairingParse = { ok: true; pairing: Pairing } | { ok: false; error: PairingError };

export function parsePairingLink(text: string): PairingParse {
  const fail = (code: PairingErrorCode, params: Record<string, string> = {}): PairingParse => ({ ok: false, error: { code, params } });
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return fail('not_a_link');
  }
  if (!/^https?:$/.test(url.protocol)) return fail('not_http');
  const path = url.pathname.replace(/\/+$/, '');
  // The overlay link (overlayLink above) is the one most often pasted here by mistake.
  if (path.endsWith('/overlay') && url.searchParams.has('room')) return fail('overlay_link');
  if (!path.endsWith('/pair')) return fail('not_pairing');
  const q = new URLSearchParams(url.hash.replace(/^#/, ''));
  const room = q.get('room');
  const role = q.get('role');
  const token = q.get('token');
  if (!room || !token || !role) return fail('cut_short');
  if (!(ROLES as readonly string[]).includes(role)) return fail('unknown_role', { role });
  const relayUrl = `${url.origin}${path.replace(/\/pair$/, '')}`;
  return { ok: true, pairing: { relayUrl, room, role: role as Role, token } };
}
