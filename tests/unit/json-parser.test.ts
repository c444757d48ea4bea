/**
 * The relay's JSON-only socket.io encoder (overlay/relay/json-parser.ts) writes exactly what
 * socket.io-parser's default encoder writes for every packet without binary — the wire format
 * every client reads — for generated payloads of the shapes the relay sends (states, patches,
 * answers, errors), acks and namespaces included.
 */
import fc from 'fast-check';
import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { jsonOnlyParser } from '../../overlay/relay/json-parser.js';

const ours = new jsonOnlyParser.Encoder();
const reference = new Encoder();

describe('JSON-only socket.io encoder', () => {
  it('encodes every non-binary packet exactly as socket.io-parser does', () => {
    const payload = fc.jsonValue({ maxDepth: 4 });
    const packet = fc.record(
      {
        type: fc.constantFrom(PacketType.CONNECT, PacketType.DISCONNECT, PacketType.EVENT, PacketType.ACK, PacketType.CONNECT_ERROR),
        nsp: fc.constantFrom('/', '/admin', ''),
        id: fc.option(fc.nat(), { nil: undefined }),
        data: fc.oneof(fc.constant(undefined), fc.tuple(fc.constantFrom('room.patch', 'room.state', 'session.welcome'), payload), fc.array(payload, { maxLength: 3 }), fc.dictionary(fc.string(), payload)),
      },
      { requiredKeys: ['type', 'nsp'] },
    );
    fc.assert(
      fc.property(packet, (p) => {
        expect(ours.encode(p)).toEqual(reference.encode(p));
      }),
      { numRuns: 5_000 },
    );
  });

  it('a room state of 500 products: one string, the same bytes', () => {
    const products = Array.from({ length: 500 }, (_, i) => ({ id: `p${i}`, sku: `SKU-${i}`, name: `商品 ${i} "quoted" \\u2028`, priceMinor: 5990 + i, stock: i % 3 ? 10 : null, sold: i, soldOut: false }));
    const p = { type: PacketType.EVENT, nsp: '/', data: ['room.state', { id: 'r', version: 7, products }] };
    expect(ours.encode(p)).toEqual(reference.encode(p));
    expect(ours.encode(p)).toHaveLength(1);
  });
});
