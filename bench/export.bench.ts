/**
 * The sales CSV export (issue 14; prints figures, not a test): a room of N sales (default
 * 200,000) is recorded once through a relay, then `GET /api/rooms/:room/sales?format=csv` is
 * timed on that database — time to the first byte, to the last byte, and the relay's peak RSS
 * during the export (sampled every 10 ms from /proc). With `--baseline <checkout>` the relay of
 * that other checkout (the build before) answers in alternation with this one, on the same
 * database, so the two are compared in one run (absolute times move with the machine).
 * Run: npx tsx bench/export.bench.ts [--sales 200000] [--rounds 3] [--baseline /path/to/checkout]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandReply } from '../shared/protocol.js';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';
import { BENCH_ADMIN, connect, ms, setupRoom } from './bench-support.js';

const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SALES = Number(argOf('--sales') ?? 200_000);
const ROUNDS = Number(argOf('--rounds') ?? 3);
const BASELINE = argOf('--baseline');
const env = { LIVESHELF_SYNC: 'NORMAL', LIVESHELF_RATE_PER_SECOND: '1000000' };
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-export-'));
const port = await freePort();
console.log(`LiveShelf sales CSV export — ${SALES} sales, ${new Date().toISOString()}, load average ${load()} on ${cpus().length} cores`);
try {
  // The room, filled once by this checkout's relay.
  let relay = await spawnRelay({ port, dataDir, adminToken: BENCH_ADMIN, env });
  const { roomId, tokens, products } = await setupRoom(relay.url);
  const senders = await Promise.all(Array.from({ length: 4 }, () => connect(relay.url, roomId, tokens.sales!)));
  let issued = 0;
  const f0 = performance.now();
  await Promise.all(
    senders.flatMap((s, k) =>
      Array.from({ length: 32 }, async () => {
        while (issued < SALES) {
          const i = issued++;
          const reply = await new Promise<CommandReply>((resolve) => s.emit('command', { id: `x-${k}-${i}`, type: 'sale.record', productId: products[i % products.length] }, resolve));
          if (!reply.ok) throw new Error(`sale ${i}: ${reply.error.message}`);
        }
      }),
    ),
  );
  for (const s of senders) s.close();
  console.log(`filled       ${SALES} sales in ${((performance.now() - f0) / 1000).toFixed(1)} s`);
  await relay.kill('SIGTERM');

  const builds = BASELINE ? [{ name: 'before', root: BASELINE }, { name: 'this', root: undefined }] : [{ name: 'this', root: undefined }];
  const results = new Map<string, { first: number; total: number; peak: number; idle: number; bytes: number; rows: number }[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const build of round % 2 ? [...builds].reverse() : builds) {
      relay = await spawnRelay({ port, dataDir, adminToken: BENCH_ADMIN, env, ...(build.root && { root: build.root }) });
      const pid = relay.child.pid!;
      // The room loaded and warm (a first read), as it is after a show.
      await fetch(`${relay.url}/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${tokens.host}` } }).then((r) => r.arrayBuffer());
      const idle = rssMb(pid);
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
      const t0 = performance.now();
      const res = await fetch(`${relay.url}/api/rooms/${roomId}/sales?format=csv`, { headers: { authorization: `Bearer ${tokens.host}` } });
      const reader = res.body!.getReader();
      let first = NaN;
      let bytes = 0;
      let rows = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (Number.isNaN(first)) first = performance.now() - t0;
        bytes += value.byteLength;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) rows++;
      }
      const total = performance.now() - t0;
      clearInterval(sampler);
      peak = Math.max(peak, rssMb(pid));
      await relay.kill('SIGTERM');
      if (rows - 1 !== SALES) throw new Error(`${build.name}: ${rows - 1} rows for ${SALES} sales`);
      const list = results.get(build.name) ?? [];
      list.push({ first, total, peak, idle, bytes, rows: rows - 1 });
      results.set(build.name, list);
      console.log(`  round ${round + 1} ${build.name.padEnd(6)} first byte ${ms(first, 0)}, whole ${ms(total, 0)}, relay RSS ${idle.toFixed(0)} → peak ${peak.toFixed(0)} MB, ${(bytes / 1e6).toFixed(1)} MB`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [name, list] of results) {
    console.log(
      `${name.padEnd(6)} median of ${list.length}: first byte ${ms(median(list.map((r) => r.first)), 0)}, whole ${ms(median(list.map((r) => r.total)), 0)} (${((median(list.map((r) => r.total)) * 1000) / SALES).toFixed(1)} µs/sale), RSS growth during the export ${median(list.map((r) => r.peak - r.idle)).toFixed(0)} MB`,
    );
  }
  console.log(`load average ${load()}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
