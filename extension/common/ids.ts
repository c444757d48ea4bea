/** Command ids are made on the client at click time (the relay's exactly-once key). */
export function newCommandId(prefix = 'x'): string {
  // [A-Za-z0-9_:.-], ≤ 80 chars: a prefix for humans reading logs, then a random UUID.
  return `${prefix}:${randomUuid()}`;
}

/**
 * crypto.randomUUID exists only in a secure context; the web console is also opened over plain
 * http on a LAN address (a phone beside the host's computer), where only getRandomValues is there.
 */
function randomUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
