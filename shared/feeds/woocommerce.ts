/**
 * WooCommerce's order webhooks (the REST API's order object): `order.created` / `order.updated`
 * count the line_items once the status is processing or completed (paid); cancelled, refunded
 * and failed void them; any other status (pending, on-hold) counts nothing yet.
 */
import { arr, idText, obj, skuText, units, type FeedEvent, type FeedLine } from './common.js';

const PAID = new Set(['processing', 'completed']);
const UNDONE = new Set(['cancelled', 'refunded', 'failed']);

export function woocommerceEvent(topic: string, body: unknown): FeedEvent {
  if (topic !== 'order.created' && topic !== 'order.updated') return { kind: 'ignored', why: `topic ${topic || '(none)'} counts nothing` };
  const o = obj(body, '(body)');
  const order = idText(o.id, 'id');
  const lines: FeedLine[] = arr(o.line_items, 'line_items').map((raw, i) => {
    const l = obj(raw, `line_items[${i}]`);
    return { lineKey: idText(l.id, `line_items[${i}].id`), sku: skuText(l.sku), quantity: units(l.quantity, `line_items[${i}].quantity`) };
  });
  const status = typeof o.status === 'string' ? o.status : '';
  if (PAID.has(status)) return { kind: 'paid', order, lines };
  if (UNDONE.has(status)) return { kind: 'cancelled', order, lines };
  return { kind: 'ignored', why: `status ${status || '(none)'} is not paid` };
}
