/**
 * The relay's logs never carry a token from a URL's query (the overlay's and the trace QR's
 * links have the overlay token there): Fastify logs the request with a failure, through the
 * relay's req serializer (overlay/relay/app.ts loggedRequest).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactTokens } from '../../overlay/relay/app.js';
import { startRelay, type TestRelay } from '../support/relay.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});
let r: TestRelay;

beforeAll(async () => {
  r = await startRelay({ logger: pino({ level: 'info' }, sink) });
});
afterAll(async () => {
  await r?.close();
});

describe('token= in logged URLs', () => {
  it.each([
    ['/o/?room=r_1&token=ovl_secret', '/o/?room=r_1&token=[redacted]'],
    ['/api/rooms/r/products/p/trace.svg?token=ovl_secret&u=https%3A%2F%2Ft', '/api/rooms/r/products/p/trace.svg?token=[redacted]&u=https%3A%2F%2Ft'],
    ['/x?TOKEN=a&token=b#frag', '/x?TOKEN=[redacted]&token=[redacted]#frag'],
    ['/x?mytoken=keep', '/x?mytoken=keep'],
  ])('%s → %s', (url, logged) => {
    expect(redactTokens(url)).toBe(logged);
  });

  it('the app\'s logger (the one Fastify logs a failed request with) writes req.url redacted', async () => {
    const room = await r.createRoom();
    const url = `/api/rooms/${room.room.id}/products/p1/trace.svg?token=${room.tokens.overlay}&u=x`;
    // What Fastify's error log writes for a failed request: reply.log.error({ req: request, res, err }).
    r.relay.app.log.error({ req: { method: 'GET', url, host: '127.0.0.1', ip: '127.0.0.1', socket: { remotePort: 5 } } }, 'failed');
    const logged = lines.map((l) => JSON.parse(l) as { msg?: string; req?: Record<string, unknown> }).find((l) => l.msg === 'failed');
    expect(logged?.req).toEqual({ method: 'GET', url: `/api/rooms/${room.room.id}/products/p1/trace.svg?token=[redacted]&u=x`, host: '127.0.0.1', remoteAddress: '127.0.0.1', remotePort: 5 });
    expect(lines.join('\n')).not.toContain(room.tokens.overlay);
  });
});
