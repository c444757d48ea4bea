/**
 * Shop feeds (issue 13), the pure part: what a verified delivery of a platform means for the
 * room, as commands with deterministic ids. One file per platform reads its payload into a
 * FeedEvent; `commandsOf` turns an event into sale commands the same way for every platform, so
 * the ids, the order ids and the counting rules cannot drift between platforms. shared/ sees no
 * Node, so the relay passes the digest the ids are made with (`Digest`, SHA-256 there).
 */

/** A collision-resistant digest of a text, as URL-safe text (the relay: SHA-256, base64url). */
export type Digest = (text: string) => string;

export type FeedPlatform = 'shopify' | 'woocommerce' | 'standard';
export const FEED_PLATFORMS = ['shopify', 'woocommerce', 'standard'] as const;

/** One line of a shop order: `lineKey` is the shop's line id, or the SKU when it has none. */
export interface FeedLine {
  lineKey: string;
  sku: string;
  quantity: number;
}

export type FeedEvent =
  | { kind: 'paid'; order: string; lines: FeedLine[] }
  | { kind: 'cancelled'; order: string; lines: FeedLine[] }
  /** `refund`: the shop's refund id, so a refund delivered twice is one and two refunds are two. */
  | { kind: 'refunded'; order: string; refund: string; lines: FeedLine[] }
  /** A topic or status that counts nothing (an unpaid order, a product update…): answered 200. */
  | { kind: 'ignored'; why: string };

/** The payload is not what the platform sends: answered 400 naming the field. */
export class FeedPayloadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeedPayloadError';
  }
}

/** The sale's orderId: `<platform>:<shop order id>:<line id or sku>`. */
export const lineOrderId = (platform: FeedPlatform, order: string, lineKey: string): string => `${platform}:${order}:${lineKey}`;

/** A command id from what it is about, so the same fact delivered again is the same command (≤ 80 chars, IdSchema). */
export function feedCommandId(digest: Digest, kind: 'sale' | 'void' | 'refund', key: string): string {
  return `feed-${kind}-` + digest(key).slice(0, 43);
}

/** The id of the sale a paid line records: what a void or a refund of that line targets. */
export const saleIdOf = (digest: Digest, platform: FeedPlatform, order: string, lineKey: string): string => feedCommandId(digest, 'sale', lineOrderId(platform, order, lineKey));

export type FeedCommand =
  | { id: string; type: 'sale.record'; orderId: string; sku: string; quantity: number }
  | { id: string; type: 'sale.record'; orderId: string; productId: string; quantity: number }
  | { id: string; type: 'sale.void'; saleId: string }
  | { id: string; type: 'sale.refund'; saleId: string; quantity: number };

/**
 * The commands a feed event asks for. `skuMap`: SKUs the host mapped to a product from the
 * panel (a line of such a SKU is recorded by productId, so a redelivery matches the mapped sale).
 */
export function commandsOf(digest: Digest, platform: FeedPlatform, event: FeedEvent, skuMap: Readonly<Record<string, string>> = {}): FeedCommand[] {
  switch (event.kind) {
    case 'ignored':
      return [];
    case 'paid':
      return mergeLines(event.lines).map((l) => {
        const orderId = lineOrderId(platform, event.order, l.lineKey);
        const id = feedCommandId(digest, 'sale', orderId);
        const productId = skuMap[l.sku];
        return productId !== undefined ? { id, type: 'sale.record', orderId, productId, quantity: l.quantity } : { id, type: 'sale.record', orderId, sku: l.sku, quantity: l.quantity };
      });
    case 'cancelled':
      return mergeLines(event.lines).map((l) => ({ id: feedCommandId(digest, 'void', lineOrderId(platform, event.order, l.lineKey)), type: 'sale.void', saleId: saleIdOf(digest, platform, event.order, l.lineKey) }));
    case 'refunded':
      return mergeLines(event.lines).map((l) => ({
        id: feedCommandId(digest, 'refund', `${lineOrderId(platform, event.order, l.lineKey)}:${event.refund}`),
        type: 'sale.refund',
        saleId: saleIdOf(digest, platform, event.order, l.lineKey),
        quantity: l.quantity,
      }));
  }
}

/** Two lines with one key (a shop listing a SKU twice with no line ids) are one sale of both quantities. */
function mergeLines(lines: readonly FeedLine[]): FeedLine[] {
  const by = new Map<string, FeedLine>();
  for (const l of lines) {
    const seen = by.get(l.lineKey);
    by.set(l.lineKey, seen ? { ...seen, quantity: seen.quantity + l.quantity } : { ...l });
  }
  return [...by.values()].filter((l) => l.quantity > 0);
}

/**
 * JSON.parse, but integers of 16 digits or more stay exact, as text: Shopify's ids are 64-bit
 * (its docs' samples pass 2^53) and a rounded id would name another order or line. Strings in
 * the text are skipped whole, so only bare number literals are touched.
 */
export function parseFeedJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g, (_m, str: string | undefined, num: string | undefined) => str ?? `"${num}"`));
  } catch {
    throw new FeedPayloadError('(body)', '(body): is not JSON');
  }
}

// ---- reading payloads: small checks that name the field ----
export function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FeedPayloadError(field, `${field}: must be an object`);
  return v as Record<string, unknown>;
}
export function arr(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FeedPayloadError(field, `${field}: must be an array`);
  return v;
}
export function idText(v: unknown, field: string): string {
  if ((typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && v.trim() !== '' && v.length <= 64)) return String(v).trim();
  throw new FeedPayloadError(field, `${field}: must be an id (a number or a text of at most 64 characters)`);
}
export function units(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100_000) return v;
  throw new FeedPayloadError(field, `${field}: must be a whole number of units from 0 to 100000`);
}
export function skuText(v: unknown): string {
  return typeof v === 'string' ? v.trim().slice(0, 64) : '';
}
