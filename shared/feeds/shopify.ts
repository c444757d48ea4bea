/**
 * Shopify's order webhooks (REST payloads, as its docs' samples): `orders/paid`, or
 * `orders/create` / `orders/updated` whose financial_status is paid, count the order's
 * line_items; `orders/cancelled` voids them; `refunds/create` refunds its refund_line_items.
 */
import { arr, idText, obj, skuText, units, type FeedEvent, type FeedLine } from './common.js';

function lineOf(raw: unknown, field: string): FeedLine {
  const l = obj(raw, field);
  const lineKey = idText(l.id, `${field}.id`);
  return { lineKey, sku: skuText(l.sku), quantity: units(l.quantity, `${field}.quantity`) };
}

export function shopifyEvent(topic: string, body: unknown): FeedEvent {
  const o = obj(body, '(body)');
  switch (topic) {
    case 'orders/paid':
    case 'orders/create':
    case 'orders/updated': {
      const order = idText(o.id, 'id');
      if (topic !== 'orders/paid' && o.financial_status !== 'paid') return { kind: 'ignored', why: `financial_status ${String(o.financial_status)} is not paid` };
      if (o.cancelled_at != null) return { kind: 'cancelled', order, lines: arr(o.line_items, 'line_items').map((l, i) => lineOf(l, `line_items[${i}]`)) };
      return { kind: 'paid', order, lines: arr(o.line_items, 'line_items').map((l, i) => lineOf(l, `line_items[${i}]`)) };
    }
    case 'orders/cancelled':
      return { kind: 'cancelled', order: idText(o.id, 'id'), lines: arr(o.line_items, 'line_items').map((l, i) => lineOf(l, `line_items[${i}]`)) };
    case 'refunds/create': {
      const order = idText(o.order_id, 'order_id');
      const refund = idText(o.id, 'id');
      const lines = arr(o.refund_line_items, 'refund_line_items').map((raw, i) => {
        const r = obj(raw, `refund_line_items[${i}]`);
        const item = r.line_item === undefined ? {} : obj(r.line_item, `refund_line_items[${i}].line_item`);
        return { lineKey: idText(r.line_item_id, `refund_line_items[${i}].line_item_id`), sku: skuText(item.sku), quantity: units(r.quantity, `refund_line_items[${i}].quantity`) };
      });
      return { kind: 'refunded', order, refund, lines };
    }
    default:
      return { kind: 'ignored', why: `topic ${topic || '(none)'} counts nothing` };
  }
}
