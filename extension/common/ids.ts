/** Command ids are made on the client at click time (the relay's exactly-once key). */
export function newCommandId(prefix = 'x'): string {
  // [A-Za-z0-9_:.-], ≤ 80 chars: a prefix for humans reading logs, then a random UUID.
  return `${prefix}:${crypto.randomUUID()}`;
}
