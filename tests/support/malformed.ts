/**
 * fast-check arbitraries of what a broken integration or an attacker sends the relay: odd
 * values (wrong types, huge and odd numbers, unicode edge cases), command-shaped objects with
 * them in every field, JSON text that is not quite JSON (truncated, duplicate keys, numbers
 * JSON.parse turns into Infinity), paths with bad percent-encoding, and whole HTTP requests
 * over every route with tokens of the wrong room and role. Used by tests/integration/relay-fuzz.test.ts.
 */
import fc from 'fast-check';
import { COMMAND_TYPES } from '../../shared/commands.js';
import { ROLES, type Role } from '../../shared/domain.js';

/** Strings a parser or a store may choke on: invisible, control, bidi, lone surrogates, very long. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(
    '', ' ', '\u200b', '\u200b\u200c\u200d\u2060\ufeff', '\u0000', '\u0000abc', '\u0007\u001b[31m', '\t\n\r', '\u3000', '\u00a0\u202f',
    '\u202etxt.exe', '\ud800', '\udfff', 'a\ud800b', '\u{1F469}\u200d\u{1F467}', 'e\u0301\u0301\u0301', '\u115f\u3164', '\ufe0f',
    '__proto__', 'constructor', 'toString', 'p1', 'p_gone', '../../etc/passwd', '%00', '%E0%A4%A', '<script>alert(1)</script>',
    "' OR 1=1 --", 'NaN', 'null', '1e400', 'x'.repeat(141), '商'.repeat(200),
  ) },
  { weight: 10, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 10, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** A command over MAX_MESSAGE_BYTES: 413 over HTTP; socket.io closes the connection that sends it. */
export const hugeCommand = fc.constant({ id: 'fz-huge', type: 'ticker.push', text: 'x'.repeat(70_000) });

/** Numbers at and past every bound a schema has. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1.5, 59.9, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, Number.MAX_VALUE, Number.MIN_VALUE, 100_000, 100_001, 86_401, 1_000_000_000_01),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Anything a JSON field can hold, odd values first, nested a little. */
export const oddValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddString,
    oddNumber,
    fc.constantFrom(null, true, false, [], {}),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(oddString, fc.constantFrom('id', 'type', 'product', 'changes', '__proto__')), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const FIELD_NAMES = [
  'id', 'type', 'baseVersion', 'product', 'productId', 'sku', 'name', 'priceMinor', 'originalPriceMinor', 'unit', 'stock',
  'imageUrl', 'origin', 'tagline', 'obsScene', 'position', 'changes', 'toIndex', 'quantity', 'orderId', 'unitPriceMinor',
  'saleId', 'soldOut', 'text', 'messageId', 'seconds', 'label', 'title', 'currency', 'locale', 'role',
] as const;

/** A command as a sloppy client writes one: a real or made-up type, real field names, odd values. */
export const oddCommand: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    id: fc.oneof(fc.constantFrom('fz-1', 'a'.repeat(81), ''), oddValue),
    type: fc.oneof(fc.constantFrom(...COMMAND_TYPES), fc.constantFrom('card.dance', 'CARD.SHOW', 'product.add '), oddValue),
    fields: fc.dictionary(fc.constantFrom(...FIELD_NAMES), oddValue, { maxKeys: 4 }),
    product: fc.option(fc.dictionary(fc.constantFrom(...FIELD_NAMES), oddValue, { maxKeys: 5 }), { nil: undefined }),
  })
  .map(({ id, type, fields, product }) => ({ id, type, ...fields, ...(product && { product, changes: product }) }));

/** JSON text that a lenient parser might accept: duplicate keys, numbers out of range, truncation, a BOM, comments. */
export const oddJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(oddCommand, oddValue).map(([c, v]) => JSON.stringify(c).replace(/^\{/, `{"type":${JSON.stringify(v) ?? 'null'},"id":"dup",`)),
  fc.tuple(oddCommand, fc.nat({ max: 200 })).map(([c, n]) => JSON.stringify(c).slice(0, n)),
  fc.constantFrom(
    '{"id":"d1","type":"ticker.push","text":"a","text":"\\u200b"}',
    '{"id":"d2","type":"stock.set","productId":"p1","stock":1e400}',
    '{"id":"d3","type":"sale.record","productId":"p1","quantity":-0}',
    '{"id":"d4","type":"card.show","productId":"p1"', '\ufeff{"id":"d5","type":"card.hide"}', '{"id":"d6",/*c*/"type":"card.hide"}',
    "{'id':'d7'}", '{"__proto__":{"admin":true},"id":"d8","type":"card.hide"}', '{"constructor":{"prototype":{"x":1}}}',
    '[]', '[{}]', '"card.hide"', '42', 'true', 'null', '', ' ', '\u0000', '{"id":"\\ud800","type":"card.hide"}', '['.repeat(5000) + ']'.repeat(5000),
  ),
  oddValue.map((v) => JSON.stringify(v) ?? 'null'),
);

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/JSON', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1', 'application/vnd.api+json', '', ';;;',
] as const;

/** Path segments that should never reach a handler intact: bad percent-encoding, traversal, absurd lengths. */
export const oddSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%2e%2e', '..', '.', '%2F', '%C0%AF', '%ED%A0%80', '%FF', '%u2028', '%25', 'a'.repeat(101), 'b'.repeat(5000), ''),
  fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9_.~:-]{1,30}$/),
);

export interface Tokens {
  roomId: string;
  tokens: Record<Role, string>;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** One HTTP request over a route of the API (or next to one), with a token of some room and role, or none. */
export function oddRequest(target: Tokens, other: Tokens, admin: string, refused: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<FuzzRequest> {
  const token = fc.oneof(
    fc.constantFrom(...ROLES.map((r) => target.tokens[r]), ...ROLES.map((r) => other.tokens[r]), admin, 'lsh_nope', ''),
    oddString.filter((s) => /^[\x21-\x7e]*$/.test(s)),
  );
  const room = fc.oneof({ weight: 4, arbitrary: fc.constant(target.roomId) }, fc.constant(other.roomId), oddSegment);
  const route = fc.oneof(
    room.map((r) => `/api/rooms/${r}`),
    room.map((r) => `/api/rooms/${r}/commands`),
    room.map((r) => `/api/rooms/${r}/sales`),
    room.map((r) => `/api/rooms/${r}/tokens/rotate`),
    fc.tuple(room, oddSegment).map(([r, s]) => `/api/rooms/${r}/${s}`),
    fc.constantFrom('/api/rooms', '/api/rooms/', '/healthz', '/pair', '/overlay/', '/overlay', '/', '//api/rooms', '/API/ROOMS'),
    oddSegment.map((s) => `/overlay/${s}`),
    fc.tuple(oddSegment, oddSegment).map(([a, b]) => `/overlay/${a}/${b}`),
    oddSegment.map((s) => `/${s}`),
  );
  const query = fc.oneof(
    fc.constant(''),
    fc.dictionary(fc.constantFrom('limit', 'after', 'format', 'room', 'token', 'limit[]', '__proto__', 'x'), fc.oneof(oddSegment, fc.constantFrom('csv', 'json', 'CSV', '0', '10001', '-1', '1.5', '1e3'))).map(
      (d) => '?' + Object.entries(d).map(([k, v]) => `${k}=${v}`).join('&'),
    ),
    fc.constantFrom('?limit=1&limit=2', '?after=a&after=b', '?%', '?format=csv&format=json', '?a=%E0%A4%A'),
  );
  return fc
    .record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST') }, fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE')),
      path: route,
      query,
      token: fc.option(token, { nil: undefined, freq: 4 }),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined, freq: 6 }),
      body: fc.option(fc.oneof({ weight: 10, arbitrary: oddJsonText }, { weight: 10, arbitrary: oddCommand.map((c) => JSON.stringify(c)) }, { weight: 5, arbitrary: refused.map((c) => JSON.stringify(c)) }, { weight: 1, arbitrary: hugeCommand.map((c) => JSON.stringify(c)) }), { nil: undefined, freq: 8 }),
    })
    .map(({ method, path, query, token, contentType, body }) => {
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (contentType !== undefined) headers['content-type'] = contentType;
      const hasBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
      return { method, path: path + query, headers, ...(hasBody && { body }) };
    });
}

/** Raw request heads Node's HTTP parser itself refuses (it answers them through the relay's clientErrorHandler). */
export const rawHttpHead: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'FOO /api/rooms HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/rooms HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/rooms\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nX: ' + 'y'.repeat(20_000) + '\r\n\r\n',
    'POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}',
    'POST /api/rooms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'GET /overlay/\u00ff HTTP/1.1\r\nHost: x\r\n\r\n',
    '\u0000\u0001\u0002\r\n\r\n',
  ),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 }).map((s) => s + '\r\n\r\n'),
);

/**
 * Commands the schema accepts and the room refuses (unknown product, beyond the stock, a stale
 * base version, a duplicate SKU, a locked currency, a price that changed, invisible text):
 * the refusals the reducer makes, each with a fresh id. `productId` is a product of the room
 * with less than 100,000 in stock, its SKU 'POM'.
 */
export function refusedCommand(productId: string): fc.Arbitrary<Record<string, unknown>> {
  const body = fc.constantFrom<Record<string, unknown>>(
    { type: 'card.show', productId: 'p_gone' },
    { type: 'sale.record', productId, quantity: 100_000 },
    { type: 'sale.record', sku: 'NOPE' },
    { type: 'sale.record', productId, unitPriceMinor: 1 },
    { type: 'stock.set', productId, stock: 5, baseVersion: 0 },
    { type: 'sale.void', saleId: 'nope' },
    { type: 'ticker.clear', messageId: 'nope' },
    { type: 'queue.move', productId: 'p_gone', toIndex: 0 },
    { type: 'product.add', product: { sku: 'POM', name: 'again', priceMinor: 1 } },
    { type: 'product.update', productId, changes: { name: '\u200b\u200d' } },
    { type: 'room.update', changes: { currency: 'USD' } },
    { type: 'ticker.push', text: '\u2060\ufeff' },
    { type: 'countdown.start', seconds: 60, label: '\u200b' },
  );
  return fc.tuple(fc.stringMatching(/^fz-[a-z0-9]{10}$/), body).map(([id, b]) => ({ id, ...b }));
}
