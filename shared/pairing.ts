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

export type PairingParse = { ok: true; pairing: Pairing } | { ok: false; message: string };

export function parsePairingLink(text: string): PairingParse {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: 'This is not a link. Copy the whole pairing link the relay printed (it starts with http).' };
  }
  if (!/^https?:$/.test(url.protocol)) return { ok: false, message: 'A pairing link starts with http:// or https://.' };
  if (!url.pathname.replace(/\/+$/, '').endsWith('/pair')) {
    return { ok: false, message: 'This link is not a pairing link (it should end in /pair#…). The overlay link goes into OBS, not here.' };
  }
  const q = new URLSearchParams(url.hash.replace(/^#/, ''));
  const room = q.get('room');
  const role = q.get('role');
  const token = q.get('token');
  if (!room || !token || !role) return { ok: false, message: 'The pairing link is cut short: copy it again, all of it.' };
  if (!(ROLES as readonly string[]).includes(role)) return { ok: false, message: `Unknown role "${role}" in the pairing link.` };
  const relayUrl = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/pair$/, '')}`;
  return { ok: true, pairing: { relayUrl, room, role: role as Role, token } };
}
