/**
 * LiveShelf's own payload for Standard Webhooks senders (n8n, Zapier, a shop's backend):
 * `{type: "order.paid" | "order.cancelled" | "order.refunded", data: {orderId, lines: [{lineId?, sku, quantity}]}}`.
 * A refund is told apart from another one of the same order by the delivery's webhook-id.
 */
import { arr, FeedPayloadError, idText, obj, skuText, units, type FeedEvent, type FeedLine } from './common.js';

export function standardEvent(body: unknown, messageId: string): FeedEvent {
  const o = obj(body, '(body)');
  const data = obj(o.data, 'data');
  const order = idText(data.orderId, 'data.orderId');
  const lines: FeedLine[] = arr(data.lines, 'data.lines').map((raw, i) => {
    const l = obj(raw, `data.lines[${i}]`);
    const sku = skuText(l.sku);
    if (!sku) throw new FeedPayloadError(`data.lines[${i}].sku`, `data.lines[${i}].sku: must be a SKU`);
    return { lineKey: l.lineId === undefined ? sku : idText(l.lineId, `data.lines[${i}].lineId`), sku, quantity: units(l.quantity, `data.lines[${i}].quantity`) };
  });
  switch (o.type) {
    case 'order.paid':
      return { kind: 'paid', order, lines };
    case 'order.cancelled':
      return { kind: 'cancelled', order, lines };
    case 'order.refunded':
      return { kind: 'refunded', order, refund: messageId, lines };
    default:
      throw new FeedPayloadError('type', 'type: must be order.paid, order.cancelled or order.refunded');
  }
}
