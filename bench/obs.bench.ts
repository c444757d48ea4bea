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
 * Run: npx tsx bench/obs.bench.ts [--switches 50]
 */
import { performance } from 'node:perf_hooks';
import { createObsControl } from '../extension/lib/obs-control.js';
import { SCENES, startObs } from '../tests/support/obs.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SWITCHES = arg('switches', 50);
const WARMUP = 5;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}
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
} finally {
  await obs.close();
}
