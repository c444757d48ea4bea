/**
 * The long show (issue 14; prints figures, not a test): a compressed show of N sales (default
 * 1,000,000) into one room as fast as one relay takes them, a card change every 3 s, 50
 * overlays connected (in a process of their own, as OBS pages are). The relay runs as its own
 * process, as `npm start` runs it, SQLite synchronous FULL. Printed: the relay's RSS at the
 * start and the end, p99 fan-out (sale sent → every overlay holds it) at the start and the end,
 * the restart time on that database (spawn → the room answered), the sales CSV export time.
 * Aims (issue 14): RSS growth ≤ 50 %, p99 not worse by more than 20 %, restart ≤ 5 s.
 * Run: npx tsx bench/longshow.bench.ts [--sales 1000000] [--node-flags "--max-semi-space-size=4"] (flags for the relay's node)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandReply } from '../shared/protocol.js';
import { freePort, spawnRelay, type RelayProcess } from '../tests/support/relay-process.js';
import { BENCH_ADMIN, connect, ms, pct, setupRoom } from './bench-support.js';
import type { FromSubscribers } from './fanout-subscribers.js';
import { monotonicMs } from './fanout-subscribers.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SALES = arg('--sales', 1_000_000);
const NODE_FLAGS = (() => {
  const i = process.argv.indexOf('--node-flags');
  return i > 0 ? process.argv[i + 1]!.split(/\s+/).filter(Boolean) : [];
})();
const OVERLAYS = 50;
const SENDERS = 8;
const IN_FLIGHT = 32; // per sender
const CARD_EVERY_MS = 3000;
const SAMPLES = 200;
const QUIET_MS = 20_000;

const statusMb = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const rssMb = (pid: number) => statusMb(pid, 'VmRSS');
/** RSS split as the kernel counts it: anonymous (V8's heap, malloc: SQLite's cache, buffers) and file-backed (the binary, mapped libraries). */
const rssParts = (pid: number) => `anon ${statusMb(pid, 'RssAnon').toFixed(0)} MB + file ${statusMb(pid, 'RssFile').toFixed(0)} MB`;
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-longshow-'));
const port = await freePort();
const env = { LIVESHELF_SYNC: 'FULL', LIVESHELF_RATE_PER_SECOND: '1000000' };
let relay: RelayProcess = await spawnRelay({ port, dataDir, adminToken: BENCH_ADMIN, env, execArgv: NODE_FLAGS });
console.log(`LiveShelf long show — ${SALES} sales, ${OVERLAYS} overlays${NODE_FLAGS.length ? `, relay node ${NODE_FLAGS.join(' ')}` : ''}, ${new Date().toISOString()}, load average ${load()} on ${cpus().length} cores`);

let child: ReturnType<typeof fork> | undefined;
try {
  const { roomId, tokens, products } = await setupRoom(relay.url);
  child = fork(fileURLToPath(new URL('./fanout-subscribers.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  const next = (type: FromSubscribers['type']) => new Promise<FromSubscribers>((resolve) => child!.on('message', (m: FromSubscribers) => m.type === type && resolve(m)));
  const ready = next('ready');
  child.send({ type: 'start', url: relay.url, room: roomId, token: tokens.overlay!, n: OVERLAYS });
  await ready;
  const host = await connect(relay.url, roomId, tokens.host!);
  const emit = (command: object) => new Promise<CommandReply>((resolve) => host.emit('command', command, resolve));

  /** Spaced single sales (beyond one broadcast frame), stamped on the monotonic clock shared with the overlays' process. */
  async function samples(tag: string) {
    const sent: { t: number; version: number }[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = monotonicMs();
      const reply = await emit({ id: `${tag}-${i}`, type: 'sale.record', productId: products[0] });
      if (!reply.ok) throw new Error(reply.error.message);
      sent.push({ t, version: reply.version });
      await new Promise((r) => setTimeout(r, 20));
    }
    return sent;
  }

  const rssStart = rssMb(relay.child.pid!);
  const partsStart = rssParts(relay.child.pid!);
  const startSamples = await samples('s');

  // The show: senders at full speed, a card change every few seconds.
  const t0 = performance.now();
  let done = 0;
  let cards = 0;
  const cardTimer = setInterval(() => void emit({ id: `card-${cards}`, type: 'card.show', productId: products[cards++ % products.length] }), CARD_EVERY_MS);
  const senders = await Promise.all(Array.from({ length: SENDERS }, () => connect(relay.url, roomId, tokens.sales!)));
  let issued = 0;
  let lastReport = performance.now();
  await Promise.all(
    senders.flatMap((s, k) =>
      Array.from({ length: IN_FLIGHT }, async () => {
        while (issued < SALES) {
          const i = issued++;
          const reply = await new Promise<CommandReply>((resolve) => s.emit('command', { id: `show-${k}-${i}`, type: 'sale.record', productId: products[i % products.length] }, resolve));
          if (!reply.ok) throw new Error(`sale ${i}: ${reply.error.message}`);
          done++;
          if (performance.now() - lastReport > 30_000) {
            lastReport = performance.now();
            console.log(`  ${done} sales, ${(done / ((lastReport - t0) / 1000)).toFixed(0)}/s, relay RSS ${rssMb(relay.child.pid!).toFixed(0)} MB (${rssParts(relay.child.pid!)}), load ${load()}`);
          }
        }
      }),
    ),
  );
  clearInterval(cardTimer);
  const showSeconds = (performance.now() - t0) / 1000;
  for (const s of senders) s.close();

  const endSamples = await samples('e');
  const rssEnd = rssMb(relay.child.pid!);
  const partsEnd = rssParts(relay.child.pid!);
  // A show has pauses: V8 gives back the heap room a burst made it take (its memory reducer runs when the process is idle).
  await new Promise((r) => setTimeout(r, QUIET_MS));
  const rssQuiet = rssMb(relay.child.pid!);
  const partsQuiet = rssParts(relay.child.pid!);
  const report = next('seen');
  child.send({ type: 'report' });
  const { seen } = (await report) as Extract<FromSubscribers, { type: 'seen' }>;
  host.close();
  const maps = seen.map((entries) => new Map(entries));
  const latencies = (sent: { t: number; version: number }[]) =>
    sent.flatMap(({ t, version }) =>
      maps.map((m) => {
        let first = Infinity;
        for (const [v, at] of m) if (v >= version && at < first) first = at;
        return first - t;
      }),
    );
  const pStart = latencies(startSamples);
  const pEnd = latencies(endSamples);

  // Export, then restart on that database.
  const e0 = performance.now();
  const csv = await fetch(`${relay.url}/api/rooms/${roomId}/sales?format=csv`, { headers: { authorization: `Bearer ${tokens.host}` } }).then((r) => r.text());
  const exportMs = performance.now() - e0;
  await relay.kill('SIGTERM');
  const r0 = performance.now();
  relay = await spawnRelay({ port, dataDir, adminToken: BENCH_ADMIN, env, execArgv: NODE_FLAGS });
  for (;;) {
    const res = await fetch(`${relay.url}/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${tokens.host}` } });
    if (res.ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const restartMs = performance.now() - r0;

  console.log(`sales        ${done} in ${showSeconds.toFixed(1)} s: ${(done / showSeconds).toFixed(0)} durable sales/s (${SENDERS} senders × ${IN_FLIGHT} in flight), ${cards} card changes`);
  console.log(`relay RSS    start ${rssStart.toFixed(0)} MB (${partsStart}), end ${rssEnd.toFixed(0)} MB (${partsEnd}) (${(((rssEnd - rssStart) / rssStart) * 100).toFixed(0)} %)`);
  console.log(`             after ${QUIET_MS / 1000} s quiet ${rssQuiet.toFixed(0)} MB (${partsQuiet}) (${(((rssQuiet - rssStart) / rssStart) * 100).toFixed(0)} %)`);
  console.log(`fan-out      to ${OVERLAYS} overlays: start p50 ${ms(pct(pStart, 50))} p99 ${ms(pct(pStart, 99))}, end p50 ${ms(pct(pEnd, 50))} p99 ${ms(pct(pEnd, 99))} (n=${pStart.length}+${pEnd.length})`);
  console.log(`restart      ${ms(restartMs, 0)} from spawn to the room answered`);
  console.log(`CSV export   ${ms(exportMs, 0)} for ${csv.split('\n').length - 2} sales, ${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB`);
  console.log(`load average ${load()}`);
} finally {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  await relay.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
