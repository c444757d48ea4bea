/**
 * Shop feeds (issue 13; prints figures, not a test): signed Standard Webhooks deliveries per
 * second into one room's feed from 50 concurrent connections, and the p50/p99 answer time (the
 * answer comes after the sale is durable: SQLite FULL, as `npm start` runs). One relay process,
 * as `npm start` runs it, on loopback; the senders sign here with the reference package.
 * Run: npx tsx bench/feeds.bench.ts [--deliveries 3000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { BENCH_ADMIN, json, ms, pct, setupRoom } from './bench-support.js';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';

const arg = process.argv.indexOf('--deliveries');
const DELIVERIES = arg > 0 ? Number(process.argv[arg + 1]) : 3000;
const CONNECTIONS = 50;

const dir = mkdtempSync(join(tmpdir(), 'liveshelf-feeds-bench-'));
const relay = await spawnRelay({ port: await freePort(), dataDir: dir, adminToken: BENCH_ADMIN, env: { LIVESHELF_RATE_PER_SECOND: '100000' } });
try {
  const { roomId, tokens } = await setupRoom(relay.url);
  const made = await json(relay.url, `/api/rooms/${roomId}/feeds`, tokens.host!, { platform: 'standard', name: 'bench' });
  const hook = new Webhook(made.secret as string);
  const url = `${relay.url}/hooks/${made.feed.id as string}`;
  // At most CONNECTIONS keep-alive connections, one per sender.
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const post = (body: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      });
      req.once('error', reject);
      req.end(body);
    });
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < DELIVERIES) {
        const i = next++;
        const body = JSON.stringify({ type: 'order.paid', data: { orderId: `bench-${i}`, lines: [{ sku: `SKU-${i % 10}`, quantity: 1 }] } });
        const msgId = `msg_${i}`;
        const at = new Date();
        const t0 = performance.now();
        const status = await post(body, { 'content-type': 'application/json', 'webhook-id': msgId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': hook.sign(msgId, at, body) });
        if (status !== 200) throw new Error(`delivery ${i}: ${status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const state = await json(relay.url, `/api/rooms/${roomId}`, tokens.host!);
  if (state.totals.sold !== DELIVERIES) throw new Error(`counted ${state.totals.sold} of ${DELIVERIES}`);
  console.log(`feeds: ${DELIVERIES} signed deliveries, ${CONNECTIONS} connections, one room: ${(DELIVERIES / seconds).toFixed(0)} deliveries/s, answer p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))} (all counted: ${state.totals.sold})`);
  agent.destroy();
} finally {
  await relay.kill();
  rmSync(dir, { recursive: true, force: true });
}
