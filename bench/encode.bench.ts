/**
 * socket.io packet encoding in the relay (issue 16; prints figures): socket.io-parser's default
 * encoder against the relay's JSON-only one (overlay/relay/json-parser.ts), in alternation, for
 * a 500-product room state (what a connecting client or a full-state client gets) and a one-sale
 * patch. Run: npx tsx bench/encode.bench.ts
 */
import { Encoder, PacketType } from 'socket.io-parser';
import { jsonOnlyParser } from '../overlay/relay/json-parser.js';
const products = Array.from({ length: 500 }, (_, i) => ({ id: `p${i}`, sku: `SKU-${i}`, name: `商品 ${i}`, priceMinor: 5990 + i, originalPriceMinor: null, unit: '5kg', stock: 100, imageUrl: null, origin: '云南', tagline: '', obsScene: null, netWeightGrams: 5000, grade: '', harvestDate: null, producer: '', traceUrl: null, sold: i, revenueMinor: i * 5990, soldOutManual: false, soldOut: false, presale: null }));
const state = { type: PacketType.EVENT, nsp: '/', data: ['room.state', { id: 'r', version: 7, products, ticker: [], totals: { sold: 1, revenueMinor: 2, orders: 3, weightGrams: 0 } }] };
const patch = { type: PacketType.EVENT, nsp: '/', data: ['room.patch', { id: 'r', baseVersion: 7, version: 8, products: { upsert: [products[3]] }, totals: { sold: 1, revenueMinor: 2, orders: 3, weightGrams: 0 }, updatedAt: 1 }] };
for (const [name, p, n] of [['state', state, 2000], ['patch', patch, 200000]] as const) {
  for (let round = 0; round < 3; round++) for (const [label, enc] of [['default', new Encoder()], ['json-only', new jsonOnlyParser.Encoder()]] as const) {
    const t = performance.now(); for (let i = 0; i < n; i++) enc.encode(p as never); const us = ((performance.now() - t) * 1000) / n;
    console.log(`${name} ${label.padEnd(9)} ${us.toFixed(2)} µs`);
  }
}
