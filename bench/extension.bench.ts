/**
 * Extension benchmark (prints figures; not a test). Real Chromium with the built extension
 * (.output/chrome-mv3, or --ext DIR), the relay as its own process (what `npm start` runs) on loopback.
 *   1. side panel open → first render with a 500-product room (navigation start → the
 *      `liveshelf:rendered` mark, i.e. the requestAnimationFrame of the frame that paints the
 *      queue; first-contentful-paint is the browser's own view of that frame, once presented),
 *      split into what the browser spends before any of our script runs (navigation start →
 *      domInteractive: the page is created and its HTML parsed) and our part (bundle evaluated,
 *      in-page copy read, DOM built, frame). Three ways:
 *      a. the panel page as a tab Playwright opens, with the first-paint copy in localStorage
 *         (extension/ui/first-paint.ts) as any host who opened the panel before has it — the
 *         way the figures before the copy were measured, so they compare;
 *      b. the same with the copy removed before each open: the storage-first path (first open
 *         after installing), i.e. what the panel did before the copy;
 *      c. the real side panel, chrome.sidePanel.open() from a click in an extension page. This
 *         one is closer to what a host sees: Chrome's side-panel size, no Playwright code in the
 *         page (Playwright does not attach to side panels; a tab it opens gets its utility world
 *         and instrumentation), and Chrome keeps a side panel hidden until its page has loaded,
 *         so no frame is drawn before the load event (printed: load event, shown). It is printed
 *         next to (a), not instead of it.
 *      The browser's share is mostly the renderer committing the navigation (a new document and
 *      V8 context with the extension bindings) on the one main thread all extension pages share;
 *      the HTML itself arrives from the extension in ~1 ms (responseStart is printed).
 *      The first frame is the HTML snapshot's (extension/ui/snapshot.ts) when there is one: a
 *      classic script paints the last first screen during parsing and imports the app's bundle
 *      after that frame; 'liveshelf:live' marks the frame of the app's own DOM (buttons act).
 *      --floor also opens, in alternation in the same side panel, an extension page with one
 *      line of text: what Chrome itself takes to show a side panel on this machine.
 *   1b. main thread per pushed state with 500 rows in the DOM (CDP Performance.getMetrics of the
 *      panel page, real sales from a node client).
 *   2. +1 click in the panel → the new state received by an overlay-token socket.io client
 *      (what the overlay page is), p50/p99, split at the moment the worker puts the command on
 *      its WebSocket (WebSocket.prototype.send wrapped in the worker, measurement only). Both
 *      ends read the same wall clock (performance.timeOrigin + now()) on this machine.
 *      The overlay client opts in to 'room.patch' like the overlay page (shared/room-follow.ts);
 *      --full-states measures a client that takes the full state after every change instead.
 * Every figure is printed with the machine's load average: on a shared 2-core machine the
 * tail is mostly other processes, which the browser-only and relay-only splits make visible.
 * --preview saves the room's overlay link first, so the panel has its live preview (an iframe).
 * --compare DIR measures a second build in the same run (opens alternate between the two), the
 * fair before/after on a machine whose load changes by the minute.
 * Run: npx tsx bench/extension.bench.ts [--opens 30] [--clicks 200] [--full-states] [--ext DIR] [--compare DIR] [--floor] [--preview] [--screenshots DIR]
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient } from 'socket.io-client';
import type { RoomState } from '../shared/domain.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type CommandReply, type ServerToClientEvents } from '../shared/protocol.js';
import { followRoom } from '../shared/room-follow.js';
import { FIRST_PAINT_HEADER_KEY, FIRST_PAINT_KEY } from '../extension/ui/first-paint.js';
import { SNAPSHOT_KEY } from '../extension/ui/snapshot.js';
import { EXT_DIR, launchWithExtension, submitPairingLink, type ExtensionBrowser } from '../tests/e2e/extension-browser.js';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';
import type { Socket } from 'socket.io-client';

const ADMIN = 'bench-admin';
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const OPENS = arg('opens', 30);
const CLICKS = arg('clicks', 200);
const PRODUCTS = 500;
const PATCHES = !process.argv.includes('--full-states');
/** Another build to measure (e.g. a copy of .output/chrome-mv3 from before a change). */
const EXT = process.argv.includes('--ext') ? process.argv[process.argv.indexOf('--ext') + 1] : undefined;
/** A second build measured in the same run, each open alternating with this one (--compare DIR). */
const COMPARE = process.argv.includes('--compare') ? process.argv[process.argv.indexOf('--compare') + 1] : undefined;
/** The overlay link saved, so the panel has its live preview (an iframe of the overlay page) as most hosts do. */
const PREVIEW = process.argv.includes('--preview');
/** A folder for screenshots of the 500-product panel (tab and real side panel). */
/**
 * Chrome's own floor, measured in the same side panel and run: an extension page with one line of
 * text and a script that marks its first frame, opened in alternation with the console (a copy
 * of the build with that page added; chrome.sidePanel.setOptions switches the panel's page).
 */
const FLOOR = process.argv.includes('--floor');
const SHOTS = process.argv.includes('--screenshots') ? process.argv[process.argv.indexOf('--screenshots') + 1] : undefined;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const dist = (xs: number[]) => (xs.length ? `p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}` : 'none');
const load = () => `[load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores]`;
const wallNow = () => performance.timeOrigin + performance.now();

type S = Socket<ServerToClientEvents, ClientToServerEvents>;
function connect(url: string, room: string, token: string, patches = false): Promise<S> {
  const socket: S = ioClient(url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION, patches }, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('room.state', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-bench-ext-'));
  const relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN });
  let extDir = EXT;
  if (FLOOR) {
    extDir = mkdtempSync(join(tmpdir(), 'liveshelf-bench-floor-'));
    cpSync(EXT ?? EXT_DIR, extDir, { recursive: true });
    writeFileSync(join(extDir, 'floor.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><p>LiveShelf</p><script src="/floor.js"></script></body></html>');
    writeFileSync(join(extDir, 'floor.js'), "requestAnimationFrame(() => { for (const m of ['liveshelf:rendered', 'liveshelf:rendered-all', 'liveshelf:loaded']) performance.mark(m, { detail: { from: 'floor' } }); });");
  }
  const browser = await launchWithExtension({ extDir });
  try {
    const created = await (
      await fetch(`${relay.url}/api/rooms`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'bench', currency: 'CNY' }) })
    ).json();
    const roomId: string = created.room.id;
    const host = await connect(relay.url, roomId, created.tokens.host);
    for (let i = 0; i < PRODUCTS; i++) {
      const cmd = { id: `seed-${i}`, type: 'product.add', product: { sku: `SKU-${i}`, name: `商品 ${i} 永胜软籽石榴`, priceMinor: 1990 + i, stock: null, origin: '云南', tagline: '现摘现发' } };
      for (;;) {
        const reply = await new Promise<CommandReply>((r) => host.emit('command', cmd, r));
        if (reply.ok) break;
        if (reply.error.code !== 'rate_limited') throw new Error(JSON.stringify(reply.error));
        await new Promise((r) => setTimeout(r, 50)); // the relay allows 100 commands/s per connection
      }
    }
    host.close();

    // Pair once, so the state is cached in extension storage like a real host's.
    const subject = async (label: string, b: ExtensionBrowser) => {
      const pairPage = await b.openPanel();
      await submitPairingLink(pairPage, created.links.host);
      await pairPage.getByRole('button', { name: `Show 商品 ${PRODUCTS - 1} 永胜软籽石榴`, exact: true }).waitFor({ timeout: 30_000 });
      if (PREVIEW) {
        // The host's overlay link saved for the live preview (an iframe of the overlay page from the relay).
        await pairPage.getByLabel('Overlay link').fill(created.links.overlay);
        await pairPage.getByRole('button', { name: 'Save' }).click();
        await pairPage.locator('iframe').waitFor();
      }
      return { label, browser: b, pairPage };
    };
    const subjects = [await subject(COMPARE ? `this build (${EXT ?? '.output/chrome-mv3'})` : '', browser)];
    if (COMPARE) subjects.push(await subject(`the other build (${COMPARE})`, await launchWithExtension({ extDir: COMPARE })));
    const { pairPage } = subjects[0]!;
    console.log(`room: ${PRODUCTS} products; overlay preview in the panel: ${PREVIEW ? 'yes (--preview)' : 'no (no overlay link saved; --preview saves one)'}`);
    if (SHOTS) await pairPage.screenshot({ path: join(SHOTS, 'extension-sidepanel-500-en.png') });
    /** Each open alternates between the builds (A B, B A, …), so both see the same load on this shared machine. */
    const interleaved = async <T,>(one: (sub: (typeof subjects)[number]) => Promise<T>): Promise<T[][]> => {
      const out: T[][] = subjects.map(() => []);
      for (let i = 0; i < OPENS; i++) {
        const order = i % 2 ? [...subjects.keys()].reverse() : [...subjects.keys()];
        for (const k of order) out[k]!.push(await one(subjects[k]!));
      }
      return out;
    };
    const title = (sub: (typeof subjects)[number]) => (sub.label ? ` — ${sub.label}` : '');

    // 1. panel open → render with 500 products: with the first-paint copy the pages keep in the
    // extension's localStorage (what a host who opened the panel before has), and without it
    // (removed before each open: the first open after installing, or after switching rooms in a
    // way no page saw; this is the path the figures before the copy measured).
    const PHASES = ['domInteractive', 'liveshelf:script', 'liveshelf:copy', 'liveshelf:committed', 'liveshelf:rendered', 'first-contentful-paint', 'liveshelf:loaded', 'liveshelf:rendered-all', 'liveshelf:snapshot', 'liveshelf:live'] as const;
    type Phase = (typeof PHASES)[number];
    type Row = Record<string, number | string>;
    const openTab = async (sub: (typeof subjects)[number], withCopy: boolean): Promise<Row> => {
      // Neither the copy nor the HTML snapshot (snapshot.ts) that is painted with it, as after installing.
      if (!withCopy) await sub.pairPage.evaluate((keys) => keys.forEach((k) => localStorage.removeItem(k)), [FIRST_PAINT_KEY, FIRST_PAINT_HEADER_KEY, SNAPSHOT_KEY]);
      const page = await sub.browser.openPanel();
      await page.waitForFunction(() => performance.getEntriesByName('liveshelf:rendered-all').length > 0 && performance.getEntriesByName('first-contentful-paint').length > 0 && performance.getEntriesByName('liveshelf:loaded').length > 0);
      // No named helpers inside evaluate(): tsx would wrap them in a __name() the page lacks.
      const m = await page.evaluate((names) => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const out: Record<string, number | string> = { domInteractive: nav.domInteractive, responseStart: nav.responseStart };
        for (const n of names) out[n] = performance.getEntriesByName(n)[0]?.startTime ?? NaN;
        out['from'] = ((performance.getEntriesByName('liveshelf:rendered')[0] as PerformanceMark | undefined)?.detail as { from?: string } | undefined)?.from ?? '?';
        return out;
      }, PHASES.slice(1));
      await page.close();
      return m;
    };
    const col = (rows: Row[], k: string) => rows.map((r) => r[k] as number);
    const fromOf = (rows: Row[]) => {
      const from: Record<string, number> = {};
      for (const r of rows) from[r['from'] as string] = (from[r['from'] as string] ?? 0) + 1;
      return JSON.stringify(from);
    };
    const reportTabs = (label: string, withCopy: boolean, rows: Row[], sub: (typeof subjects)[number]) => {
      const open = Object.fromEntries(PHASES.map((p) => [p, col(rows, p)])) as Record<Phase, number[]>;
      // A build from before the copy has no 'liveshelf:copy' mark: its storage path starts at 'liveshelf:script'.
      open['liveshelf:copy'] = open['liveshelf:copy'].map((x, i) => (Number.isNaN(x) ? open['liveshelf:script'][i]! : x));
      const step = (a: Phase, b: Phase) => open[b].map((x, i) => x - open[a][i]!);
      console.log(`panel open → queue painted, ${PRODUCTS} products, ${label}${title(sub)} (${rows.length} opens, first paint from ${fromOf(rows)}): ${dist(open['liveshelf:rendered'])}  max ${ms(Math.max(...open['liveshelf:rendered']))}  (first-contentful-paint ${dist(open['first-contentful-paint'])})  ${load()}`);
      console.log(`  browser, before any script of ours (page created, HTML parsed → domInteractive): ${dist(open.domInteractive)}  (of which navigation start → the HTML's response from the extension: ${dist(col(rows, 'responseStart'))})`);
      console.log(`  ours, domInteractive → queue painted: ${dist(step('domInteractive', 'liveshelf:rendered'))}`);
      console.log(`    bundle evaluated ${dist(step('domInteractive', 'liveshelf:script'))};  copy read ${dist(step('liveshelf:script', 'liveshelf:copy'))};  to the DOM built (${withCopy ? 'from the copy' : 'storage read + DOM'}) ${dist(step('liveshelf:copy', 'liveshelf:committed'))};  to the painting frame ${dist(step('liveshelf:committed', 'liveshelf:rendered'))}`);
      if (rows.some((r) => r['from'] === 'snapshot')) console.log(`    (first paint from the HTML snapshot: it is in the DOM at ${dist(open['liveshelf:snapshot'].filter((x) => !Number.isNaN(x)))}, during parsing; the app's bundle then runs, and the app starts after the snapshot's frame: the steps above are the app's, after that frame)`);
      console.log(`  the app's own DOM painted (live: buttons act, the snapshot's clicks replayed) at ${dist(open['liveshelf:live'].map((x, i) => (Number.isNaN(x) ? open['liveshelf:rendered'][i]! : x)))}`);
      console.log(`  storage read done at ${dist(open['liveshelf:loaded'])};  all ${PRODUCTS} rows in the DOM by ${dist(open['liveshelf:rendered-all'])}  ${load()}`);
    };
    for (const [label, withCopy] of [['first paint from the in-page copy', true], ['no in-page copy (storage read first, as before the copy)', false]] as const) {
      const all = await interleaved((sub) => openTab(sub, withCopy));
      subjects.forEach((sub, k) => reportTabs(label, withCopy, all[k]!, sub));
    }

    // 1c. The real side panel: chrome.sidePanel.open() from a click in an extension page (what the
    // popup's "Open side panel" button does), the panel in the browser window's side panel, not a
    // tab. Playwright does not attach to the side panel, so nothing of Playwright runs in it
    // while it loads (a tab it opens gets its instrumentation: an extra V8 context, paused start);
    // its figures are read afterwards over CDP (Target.attachToTarget + Runtime.evaluate).
    const realPanel = async (sub: (typeof subjects)[number]) => {
      const { browser: b } = sub;
      const worker = b.context.serviceWorkers()[0]!;
      // The side panel is the sidepanel.html target that is none of Playwright's tabs (the pairing tab shows the same page).
      const tabIds = new Set<string>();
      for (const p of b.context.pages()) {
        const cs = await b.context.newCDPSession(p);
        tabIds.add(((await cs.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } }).targetInfo.targetId);
        await cs.detach();
      }
      const opener = await b.context.newPage();
      await opener.goto(`chrome-extension://${b.extensionId}/popup.html`);
      const cdp = await b.context.newCDPSession(opener);
      let seq = 0;
      const replies = new Map<number, (v: unknown) => void>();
      cdp.on('Target.receivedMessageFromTarget', (m: { message: string }) => {
        const msg = JSON.parse(m.message) as { id?: number; result?: { result?: { value?: unknown }; data?: string } };
        if (msg.id !== undefined) replies.get(msg.id)?.(msg.result?.data ?? msg.result?.result?.value);
      });
      let page = 'sidepanel.html';
      const panelTarget = async () => ((await cdp.send('Target.getTargets')).targetInfos as { targetId: string; url: string }[]).find((t) => t.url.endsWith(`/${page}`) && !tabIds.has(t.targetId));
      const sendIn = async (targetId: string, method: string, params: object): Promise<unknown> => {
        const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: false } as never)) as unknown as { sessionId: string };
        const id = ++seq;
        const reply = new Promise<unknown>((r) => replies.set(id, r));
        await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) } as never);
        const v = await reply;
        await cdp.send('Target.detachFromTarget', { sessionId } as never);
        return v;
      };
      const read = `JSON.stringify((() => { const n = performance.getEntriesByType('navigation')[0]; const o = { origin: performance.timeOrigin, responseStart: n.responseStart, domInteractive: n.domInteractive, load: n.loadEventStart, shown: performance.getEntriesByType('visibility-state').find((e) => e.name === 'visible')?.startTime ?? null, w: innerWidth, h: innerHeight }; for (const k of ${JSON.stringify(PHASES.slice(1))}) o[k] = performance.getEntriesByName(k)[0]?.startTime ?? null; o.from = performance.getEntriesByName('liveshelf:rendered')[0]?.detail?.from ?? '?'; return o; })())`;
      return {
        async open(shot?: string, path = 'sidepanel.html'): Promise<Row> {
          if (FLOOR) await worker.evaluate((p) => (globalThis as unknown as { chrome: { sidePanel: { setOptions(o: { path: string }): Promise<void> } } }).chrome.sidePanel.setOptions({ path: p }), path);
          page = path;
          const clickAt = await opener.evaluate(async () => {
            const c = (globalThis as unknown as { chrome: { windows: { getCurrent(): Promise<{ id: number }> }; sidePanel: { open(o: { windowId: number }): Promise<void> } } }).chrome;
            const w = await c.windows.getCurrent();
            const t = performance.timeOrigin + performance.now();
            await c.sidePanel.open({ windowId: w.id });
            return t;
          });
          // Let it load undisturbed, then read its marks (again later if it is not done yet).
          let m: Record<string, number | string | null> | null = null;
          for (let tries = 0; tries < 20 && !(m && m['liveshelf:rendered-all'] !== null && m['first-contentful-paint'] !== null && m['liveshelf:loaded'] !== null); tries++) {
            await new Promise((r) => setTimeout(r, tries ? 500 : 1500));
            const t = await panelTarget();
            if (t) m = JSON.parse((await sendIn(t.targetId, 'Runtime.evaluate', { expression: read, returnByValue: true })) as string);
          }
          if (!m) throw new Error('the side panel did not open');
          if (shot) writeFileSync(shot, Buffer.from((await sendIn((await panelTarget())!.targetId, 'Page.captureScreenshot', { format: 'png' })) as string, 'base64'));
          await worker.evaluate(async () => {
            const c = (globalThis as unknown as { chrome: { windows: { getLastFocused(): Promise<{ id: number }> }; sidePanel: { close(o: { windowId: number }): Promise<void> } } }).chrome;
            await c.sidePanel.close({ windowId: (await c.windows.getLastFocused()).id });
          });
          for (let k = 0; k < 50 && (await panelTarget()); k++) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, 200));
          return { ...(m as Row), click: (m['origin'] as number) - clickAt };
        },
        async close() {
          await cdp.detach();
          await opener.close();
        },
      };
    };
    {
      const drivers = await Promise.all(subjects.map((sub) => realPanel(sub)));
      let n = 0;
      const all = await interleaved((sub) => drivers[subjects.indexOf(sub)]!.open(SHOTS && subjects.indexOf(sub) === 0 && ++n === OPENS ? join(SHOTS, 'extension-sidepanel-real-500-en.png') : undefined));
      subjects.forEach((sub, k) => {
        const rows = all[k]!;
        const diff = (a: string, b: string) => rows.map((r) => (r[b] as number) - (r[a] as number));
        console.log(`REAL side panel (chrome.sidePanel.open, ${rows[0]!['w']}×${rows[0]!['h']} px)${title(sub)}, navigation start → queue painted (${rows.length} opens, first paint from ${fromOf(rows)}): ${dist(col(rows, 'liveshelf:rendered'))}  (first-contentful-paint ${dist(col(rows, 'first-contentful-paint'))})  ${load()}`);
        if (rows.some((r) => r['from'] === 'snapshot')) console.log(`  first paint from the HTML snapshot, in the DOM at ${dist(col(rows, 'liveshelf:snapshot').filter((x) => x !== null))} (during parsing); the app's own DOM painted (live) at ${dist(rows.map((r) => (r['liveshelf:live'] ?? r['liveshelf:rendered']) as number))}`);
        console.log(`  Chrome shows the side panel only once its page has loaded (until then it is hidden and no frame is drawn): load event ${dist(col(rows, 'load'))}, shown ${dist(col(rows, 'shown'))}`);
        console.log(`  the click's sidePanel.open() → navigation start ${dist(col(rows, 'click'))};  browser: → response ${dist(col(rows, 'responseStart'))}, → domInteractive ${dist(col(rows, 'domInteractive'))};  ours ${dist(diff('domInteractive', 'liveshelf:rendered'))} (bundle ${dist(diff('domInteractive', 'liveshelf:script'))}, to the DOM built ${dist(diff('liveshelf:script', 'liveshelf:committed'))}, frame ${dist(diff('liveshelf:committed', 'liveshelf:rendered'))});  storage read at ${dist(col(rows, 'liveshelf:loaded'))}`);
      });
      if (FLOOR) {
        // The floor in alternation with the console, in the first browser's side panel.
        const rows: Row[] = [];
        const again: Row[] = [];
        for (let i = 0; i < OPENS; i++) {
          if (i % 2) again.push(await drivers[0]!.open());
          rows.push(await drivers[0]!.open(undefined, 'floor.html'));
          if (!(i % 2)) again.push(await drivers[0]!.open());
        }
        console.log(`FLOOR: an extension page with one line of text, same side panel, in alternation (${rows.length} opens): navigation start → first frame ${dist(col(rows, 'liveshelf:rendered'))};  → domInteractive ${dist(col(rows, 'domInteractive'))}, load event ${dist(col(rows, 'load'))}  ${load()}`);
        console.log(`  the console in the same alternation: → queue painted ${dist(col(again, 'liveshelf:rendered'))} (first paint from ${fromOf(again)}), → live ${dist(again.map((r) => (r['liveshelf:live'] ?? r['liveshelf:rendered']) as number))};  → domInteractive ${dist(col(again, 'domInteractive'))}, load event ${dist(col(again, 'load'))}`);
      }
      for (const d of drivers) await d.close();
    }

    // 1b. What one pushed state costs the panel's main thread with all 500 rows in the DOM: real
    // sales from a node client (relay → worker → the panel's port and storage), paced so each is
    // rendered alone; Chromium's own counters for the panel page (CDP Performance.getMetrics).
    // With --compare both browsers get the same sales, so the figure is per state per panel.
    {
      const seller = await connect(relay.url, roomId, created.tokens.host);
      const pid = (await fetch(`${relay.url}/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${created.tokens.host}` } }).then((r) => r.json())).products[3].id as string;
      const sessions = await Promise.all(subjects.map(async (sub) => {
        const cdp = await sub.browser.context.newCDPSession(sub.pairPage);
        await cdp.send('Performance.enable');
        return cdp;
      }));
      const metrics = async (cdp: (typeof sessions)[number]) => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>;
      const SALES = 60;
      const before = await Promise.all(sessions.map(metrics));
      for (let i = 0; i < SALES; i++) {
        await new Promise<CommandReply>((r) => seller.emit('command', { id: `cost-${i}`, type: 'sale.record', productId: pid }, r));
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = await Promise.all(sessions.map(metrics));
      seller.close();
      subjects.forEach((sub, k) => {
        const per = (key: string) => (((after[k]![key] ?? 0) - (before[k]![key] ?? 0)) * 1000) / SALES;
        console.log(`main thread per pushed state, ${PRODUCTS} rows in the DOM${title(sub)} (${SALES} sales, CDP metrics of the panel page): tasks ${per('TaskDuration').toFixed(1)} ms = script ${per('ScriptDuration').toFixed(1)} + style ${per('RecalcStyleDuration').toFixed(1)} + layout ${per('LayoutDuration').toFixed(1)} + other (receiving the 137 KB state over the port and storage, paint, commit)  ${load()}`);
      });
      for (const cdp of sessions) await cdp.detach();
    }
    for (const sub of subjects.slice(1)) await sub.browser.close();

    // 2. +1 click → relay state seen by an overlay client.
    if (!CLICKS) return;
    // The overlay client's states, full or patched: listeners see each state it ends up with.
    const overlaySocket: S = ioClient(relay.url, { transports: ['websocket'], auth: { room: roomId, token: created.tokens.overlay, protocol: PROTOCOL_VERSION, patches: PATCHES }, forceNew: true });
    const listeners = new Set<(s: RoomState) => void>();
    const ready = new Promise<void>((resolve) => overlaySocket.once('room.state', () => resolve()));
    if (PATCHES) followRoom(overlaySocket, (s) => listeners.forEach((l) => l(s)));
    else overlaySocket.on('room.state', (s) => listeners.forEach((l) => l(s)));
    await ready;
    const overlay = { on: (_: 'room.state', l: (s: RoomState) => void) => listeners.add(l), off: (_: 'room.state', l: (s: RoomState) => void) => listeners.delete(l), close: () => overlaySocket.close() };
    const first = (await fetch(`${relay.url}/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${created.tokens.overlay}` } }).then((r) => r.json())) as RoomState;
    const target = first.products[0]!;
    const name = target.name;
    let expected = target.sold;
    // Measurement only: the worker notes when a sale.record frame goes out on its WebSocket.
    const worker = browser.context.serviceWorkers()[0]!;
    await worker.evaluate(() => {
      const g = globalThis as unknown as { __wsSales: number[] };
      g.__wsSales = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
        if (typeof data === 'string' && data.includes('"sale.record"')) g.__wsSales.push(performance.timeOrigin + performance.now());
        return send.call(this, data);
      };
    });
    // When the overlay client first holds a state with at least `want` units sold of the target.
    const soldAtLeast = (want: number) =>
      new Promise<number>((resolve) => {
        const on = (s: RoomState) => {
          if ((s.products.find((p) => p.id === target.id)?.sold ?? 0) >= want) {
            overlay.off('room.state', on);
            resolve(wallNow());
          }
        };
        overlay.on('room.state', on);
      });
    const lat: number[] = [];
    const toSocket: number[] = [];
    const fromSocket: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      expected += 1;
      const seen = soldAtLeast(expected);
      const clickedAt = (await pairPage.evaluate((label) => {
        const btn = [...document.querySelectorAll<HTMLButtonElement>('button')].find((x) => x.getAttribute('aria-label') === label)!;
        const t = performance.timeOrigin + performance.now();
        btn.click();
        return t;
      }, `+1 ${name}`)) as number;
      const seenAt = await seen;
      lat.push(seenAt - clickedAt);
      const sentAt = (await worker.evaluate(() => (globalThis as unknown as { __wsSales: number[] }).__wsSales.splice(0)))[0];
      if (sentAt !== undefined) {
        toSocket.push(sentAt - clickedAt);
        fromSocket.push(seenAt - sentAt);
      }
    }
    const clickLoad = load();
    // Baseline without the extension: the same sale sent by a node socket.io client.
    const direct = await connect(relay.url, roomId, created.tokens.host, PATCHES);
    const base: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      expected += 1;
      const seen = soldAtLeast(expected);
      const t0 = wallNow();
      direct.emit('command', { id: `direct-${i}`, type: 'sale.record', productId: target.id }, () => {});
      base.push((await seen) - t0);
    }
    direct.close();
    overlay.close();
    console.log(`overlay client: ${PATCHES ? "'room.patch' (opted in, like the overlay page)" : "full 'room.state' after every change"}`);
    console.log(`+1 click → overlay client has the new state (${CLICKS} clicks): ${dist(lat)}  max ${ms(Math.max(...lat))}  ${clickLoad}`);
    console.log(`  click → the worker's WebSocket frame (page, messaging, worker, outbox): ${dist(toSocket)}  max ${ms(Math.max(...toSocket))}`);
    console.log(`  worker's frame → overlay client (relay: group commit with fsync, broadcast; overlay client): ${dist(fromSocket)}  max ${ms(Math.max(...fromSocket))}`);
    console.log(`baseline without the browser, node client → relay → overlay client (${CLICKS} sales): ${dist(base)}  max ${ms(Math.max(...base))}  ${load()}`);
  } finally {
    await browser.close();
    await relay.kill();
    rmSync(dataDir, { recursive: true, force: true });
    if (FLOOR && extDir) rmSync(extDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
