/** shared/feeds (issue 13): platform payloads → sale commands, with deterministic ids and the counting rules. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsOf, FeedPayloadError, parseFeedJson, saleIdOf, type Digest } from '../../shared/feeds/common.js';
import { shopifyEvent } from '../../shared/feeds/shopify.js';
import { standardEvent } from '../../shared/feeds/standard.js';
import { woocommerceEvent } from '../../shared/feeds/woocommerce.js';

const digest: Digest = (t) => createHash('sha256').update(t).digest('base64url');
// any: the fixtures are the platforms' loose JSON, read field by field below.
const fixture = (name: string) => parseFeedJson(readFileSync(join(import.meta.dirname, '../fixtures/webhooks', name), 'utf8')) as any;

describe('shared/feeds', () => {
  it('keeps 64-bit ids exact, and leaves strings, fractions and small numbers alone', () => {
    expect(parseFeedJson('{"id":820982911946154508,"n":"12345678901234567890","p":1.12345678901234567,"q":3,"neg":-12345678901234567}')).toEqual({ id: '820982911946154508', n: '12345678901234567890', p: 1.12345678901234567, q: 3, neg: '-12345678901234567' });
    expect(() => parseFeedJson('not json')).toThrow(FeedPayloadError);
  });

  it('Shopify orders/paid: one sale.record per line, order id <platform>:<order>:<line>, the same ids from orders/updated', () => {
    const order = fixture('shopify-orders-paid.json');
    const paid = commandsOf(digest, 'shopify', shopifyEvent('orders/paid', order));
    expect(paid).toHaveLength(2);
    expect(paid[0]).toMatchObject({ type: 'sale.record', orderId: 'shopify:820982911946154508:487817672276298554', sku: 'SKU2006-001', quantity: 1 });
    expect(paid[0]!.id.length).toBeLessThanOrEqual(80);
    expect(commandsOf(digest, 'shopify', shopifyEvent('orders/updated', order))).toEqual(paid);
    expect(shopifyEvent('orders/create', { ...order, financial_status: 'authorized' })).toMatchObject({ kind: 'ignored' });
    expect(shopifyEvent('products/update', {})).toMatchObject({ kind: 'ignored' });
  });

  it('Shopify refunds/create targets the sale of its line; orders/cancelled voids each line', () => {
    const refund = commandsOf(digest, 'shopify', shopifyEvent('refunds/create', fixture('shopify-refunds-create.json')));
    expect(refund).toEqual([{ id: expect.stringMatching(/^feed-refund-/), type: 'sale.refund', saleId: saleIdOf(digest, 'shopify', '820982911946154508', '487817672276298554'), quantity: 1 }]);
    const cancel = commandsOf(digest, 'shopify', shopifyEvent('orders/cancelled', fixture('shopify-orders-paid.json')));
    expect(cancel.map((c) => c.type)).toEqual(['sale.void', 'sale.void']);
  });

  it('WooCommerce counts processing and completed, voids cancelled/refunded/failed, ignores pending and other topics', () => {
    const order = fixture('woocommerce-order.json');
    expect(woocommerceEvent('order.created', order)).toMatchObject({ kind: 'paid', order: '727', lines: [{ lineKey: '315', quantity: 2 }, { lineKey: '316', quantity: 1 }] });
    expect(woocommerceEvent('order.updated', { ...order, status: 'completed' }).kind).toBe('paid');
    for (const status of ['cancelled', 'refunded', 'failed']) expect(woocommerceEvent('order.updated', { ...order, status }).kind).toBe('cancelled');
    expect(woocommerceEvent('order.updated', { ...order, status: 'on-hold' }).kind).toBe('ignored');
    expect(woocommerceEvent('product.updated', order).kind).toBe('ignored');
  });

  it('Standard: the line key is lineId or the SKU; the refund is told apart by the delivery id; a wrong shape names the field', () => {
    const ev = standardEvent({ type: 'order.paid', data: { orderId: 'A1', lines: [{ sku: 'X', quantity: 1 }, { sku: 'X', quantity: 2 }, { lineId: 7, sku: 'Y', quantity: 1 }] } }, 'm1');
    const cmds = commandsOf(digest, 'standard', ev, { Y: 'prod-y' });
    // Two lines of one SKU without line ids are one sale of both; a mapped SKU is recorded by productId.
    expect(cmds).toMatchObject([{ orderId: 'standard:A1:X', sku: 'X', quantity: 3 }, { orderId: 'standard:A1:7', productId: 'prod-y', quantity: 1 }]);
    const r1 = commandsOf(digest, 'standard', standardEvent({ type: 'order.refunded', data: { orderId: 'A1', lines: [{ sku: 'X', quantity: 1 }] } }, 'm2'));
    const r2 = commandsOf(digest, 'standard', standardEvent({ type: 'order.refunded', data: { orderId: 'A1', lines: [{ sku: 'X', quantity: 1 }] } }, 'm3'));
    expect(r1[0]!.id).not.toBe(r2[0]!.id);
    expect(() => standardEvent({ type: 'order.paid', data: { orderId: 'A1', lines: [{ sku: 'X', quantity: -1 }] } }, 'm')).toThrow(FeedPayloadError);
    expect(() => standardEvent({ type: 'order.paid', data: { lines: [] } }, 'm')).toThrow(/data\.orderId/);
    expect(() => standardEvent([], 'm')).toThrow(/\(body\)/);
  });
});
