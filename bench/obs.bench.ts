/**
 * OBS benchmark (prints figures; not a test), against a real OBS 29 / obs-websocket 5.1 started
 * headless by tests/support/obs.ts:
 *   card shown → program scene switched: from calling obs-control's onCardShown() for a product
 *   whose obsScene differs from the program scene, until CurrentProgramSceneChanged has reached
 *   the module (its status shows the new scene). p50/p99 over N switches, cycling through the
 *   three scenes, once with the collection's 'Fade' (300 ms) transition and once with 'Cut'.
 *   OBS 29 sends CurrentProgramSceneChanged when the transition has finished, so with Fade the
 *   figure includes the 300 ms fade; each switch waits for the previous one, as on air.
 *   Also printed: the time until the SetCurrentProgramScene request itself was answered.
 *   The side panel → background hop (a runtime message, well under a millisecond) is not included.
 * Then the whole path, in the extension:
 *   "Show" clicked in the side panel → OBS program scene switched: real Chromium with the built
 *   extension (.output/chrome-mv3) paired as host with a relay process on loopback, its worker
 *   connected to the same OBS. From the click (the page's clock) until the harness's own
 *   obs-websocket client receives CurrentProgramSceneChanged (Node's clock; both are wall clocks
 *   on this machine). The path: panel → worker → relay (card.show) → state back to the worker →
 *   onCardShown → OBS. Three products name the three scenes; each click shows the next one.
 * Run: npx tsx bench/obs.bench.ts [--switches 50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OBSWebSocket } from 'obs-websocket-js/json';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createObsControl } from '../extension/worker/obs-control.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type CommandReply, type ServerToClientEvents } from '../shared/protocol.js';
import { pct } from './bench-support.js';
import { launchWithExtension, submitPairingLink } from '../tests/e2e/extension-browser.js';
import { SCENES, startObs, type RealObs } from '../tests/support/obs.js';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SWITCHES = arg('switches', 50);
const WARMUP = 5;

const f2 = (x: number) => x.toFixed(2);

const obs = await startObs();
try {
  const admin = await obs.admin();
  const control = createObsControl({ url: obs.url, password: obs.password });
  await control.connect();
  const cycle = [SCENES.closeUp, SCENES.table, SCENES.main];
  let step = 0;

  /** Resolves when the module's status shows `scene` (i.e. CurrentProgramSceneChanged arrived). */
  const sceneReached = (scene: string) =>
    new Promise<void>((resolve) => {
      if (control.status.programScene === scene) return resolve();
      const off = control.subscribe((s) => {
        if (s.programScene === scene) {
          off();
          resolve();
        }
      });
    });

  for (const transition of ['Fade', 'Cut'] as const) {
    await admin.call('SetCurrentSceneTransition', { transitionName: transition });
    const toEvent: number[] = [];
    const toAnswer: number[] = [];
    for (let i = 0; i < WARMUP + SWITCHES; i++) {
      const scene = cycle[step++ % cycle.length] ?? SCENES.main;
      const reached = sceneReached(scene);
      const t0 = performance.now();
      const result = await control.onCardShown({ obsScene: scene }, { switchScene: true });
      const t1 = performance.now();
      await reached;
      const t2 = performance.now();
      if (!result.switched) throw new Error(`expected a switch to ${scene}, got ${JSON.stringify(result)}`);
      if (i >= WARMUP) {
        toAnswer.push(t1 - t0);
        toEvent.push(t2 - t0);
      }
    }
    console.log(
      `card shown → program scene switched (${transition}, n=${SWITCHES}): ` +
        `CurrentProgramSceneChanged p50 ${f2(pct(toEvent, 50))} ms, p99 ${f2(pct(toEvent, 99))} ms, max ${f2(Math.max(...toEvent))} ms; ` +
        `request answered p50 ${f2(pct(toAnswer, 50))} ms, p99 ${f2(pct(toAnswer, 99))} ms`,
    );
  }
  await control.disconnect();
  await panelToObs(obs, admin);
} finally {
  await obs.close();
}

async function panelToObs(obs: RealObs, admin: OBSWebSocket): Promise<void> {
  const ADMIN = 'bench-admin';
  const wallNow = () => performance.timeOrigin + performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-bench-obs-'));
  const relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN });
  const browser = await launchWithExtension();
  try {
    const created = await (
      await fetch(`${relay.url}/api/rooms`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'bench obs', currency: 'CNY' }) })
    ).json();
    const host: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(relay.url, {
      transports: ['websocket'],
      auth: { room: created.room.id, token: created.tokens.host, protocol: PROTOCOL_VERSION },
      forceNew: true,
    });
    const products = [
      { name: '产品特写 · 石榴', scene: SCENES.closeUp },
      { name: 'Table · 苹果', scene: SCENES.table },
      { name: 'Main · 蜂蜜', scene: SCENES.main },
    ];
    for (const [i, p] of products.entries()) {
      const cmd = { id: `seed-${i}`, type: 'product.add', product: { sku: `SKU-${i}`, name: p.name, priceMinor: 1990, stock: null, obsScene: p.scene } };
      const reply = await new Promise<CommandReply>((r) => host.emit('command', cmd, r));
      if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    }
    host.close();

    const panel = await browser.openPanel({ width: 400, height: 1400 });
    await submitPairingLink(panel, created.links.host);
    await panel.getByRole('button', { name: `Show ${products[2]!.name}`, exact: true }).waitFor({ timeout: 30_000 });
    const section = panel.getByRole('region', { name: 'OBS' });
    await section.getByLabel('OBS address').fill(obs.url);
    await section.getByLabel('OBS password').fill(obs.password);
    await section.getByRole('button', { name: 'Connect to OBS' }).click();
    await section.getByTestId('obs-status').filter({ hasText: 'Connected to OBS' }).waitFor();

    for (const transition of ['Cut', 'Fade'] as const) {
      await admin.call('SetCurrentSceneTransition', { transitionName: transition });
      const lat: number[] = [];
      let current = (await admin.call('GetCurrentProgramScene')).currentProgramSceneName;
      const start = Math.max(0, products.findIndex((p) => p.scene === current));
      for (let i = 0; i < WARMUP + SWITCHES; i++) {
        // Always the next product, whose scene is not the program scene (same scene = no switch).
        const p = products[(start + 1 + i) % products.length]!;
        if (p.scene === current) throw new Error('cycle out of step');
        const seen = new Promise<number>((resolve) => {
          const on = (e: { sceneName: string }) => {
            if (e.sceneName !== p.scene) return;
            admin.off('CurrentProgramSceneChanged', on);
            resolve(wallNow());
          };
          admin.on('CurrentProgramSceneChanged', on);
        });
        const clickedAt = (await panel.evaluate((label) => {
          const btn = [...document.querySelectorAll<HTMLButtonElement>('button')].find((x) => x.getAttribute('aria-label') === label)!;
          const t = performance.timeOrigin + performance.now();
          btn.click();
          return t;
        }, `Show ${p.name}`)) as number;
        const at = await seen;
        current = p.scene;
        if (i >= WARMUP) lat.push(at - clickedAt);
      }
      console.log(
        `side panel Show click → OBS program scene switched (${transition}, n=${SWITCHES}, via relay and worker): ` +
          `p50 ${f2(pct(lat, 50))} ms, p99 ${f2(pct(lat, 99))} ms, max ${f2(Math.max(...lat))} ms`,
      );
    }
  } finally {
    await browser.close();
    await relay.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
