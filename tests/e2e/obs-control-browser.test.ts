/**
 * The same obs-control module, bundled for the browser by Vite (as WXT bundles the extension),
 * running in real Chromium against a real OBS 29. The browser is where it runs in production and
 * it differs from Node where it matters here: the WebSocket is the browser's own, and a refused
 * connection surfaces only as close code 1006 with no message.
 */
import { resolve } from 'node:path';
import type { OBSWebSocket } from 'obs-websocket-js/json';
import type { Browser, Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObsErrorInfo, ObsStatus } from '../../extension/worker/obs-control.js';
import { freePort, SCENES, startObs, type RealObs } from '../support/obs.js';
import { launchChromium } from './overlay-harness.js';

async function bundleObsControl(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(import.meta.dirname, '../../extension/worker/obs-control.ts'), formats: ['iife'], name: 'LiveShelfObs', fileName: 'obs-control' },
    },
  });
  const output = (Array.isArray(out) ? out[0] : out) as Rollup.RollupOutput;
  const chunk = output.output.find((c): c is Rollup.OutputChunk => c.type === 'chunk');
  if (!chunk) throw new Error('vite produced no chunk');
  return chunk.code;
}

type Outcome = { ok: true; status: ObsStatus } | { ok: false; error: ObsErrorInfo };

/** Run connect() (and optionally onCardShown) inside the page; return plain data. */
function inPage(page: Page, url: string, password: string, showScene?: string): Promise<Outcome & { card?: unknown }> {
  return page.evaluate(
    async ({ url, password, showScene }) => {
      type Lib = typeof import('../../extension/worker/obs-control.js');
      const lib = (globalThis as unknown as { LiveShelfObs: Lib }).LiveShelfObs;
      const c = lib.createObsControl({ url, password });
      try {
        await c.connect();
        const card = showScene ? await c.onCardShown({ obsScene: showScene }, { switchScene: true }) : undefined;
        const status = c.status;
        await c.disconnect();
        return { ok: true as const, status, card };
      } catch (e) {
        return { ok: false as const, error: lib.isObsError(e) ? e.toInfo() : { code: 'obs-connect-failed' as const, params: {}, message: String(e) } };
      }
    },
    { url, password, showScene },
  );
}

describe('OBS control bundled for the browser, in real Chromium, against a real OBS', () => {
  let obs: RealObs;
  let admin: OBSWebSocket;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const [code, started, launched] = await Promise.all([bundleObsControl(), startObs(), launchChromium()]);
    obs = started;
    browser = launched;
    admin = await obs.admin();
    page = await browser.newPage();
    await page.setContent('<!doctype html><title>obs-control</title>');
    await page.addScriptTag({ content: code });
  });
  afterAll(async () => {
    await browser?.close();
    await obs?.close();
  });

  it('connects with the browser WebSocket and switches the scene for a shown card', async () => {
    const r = await inPage(page, obs.url, obs.password, SCENES.table);
    expect(r).toMatchObject({ ok: true, status: { state: 'connected', scenes: [SCENES.main, SCENES.closeUp, SCENES.table] }, card: { switched: true, scene: SCENES.table } });
    expect((await admin.call('GetCurrentProgramScene')).currentProgramSceneName).toBe(SCENES.table);
  });

  it('says the password was refused', async () => {
    expect(await inPage(page, obs.url, 'wrong-password')).toMatchObject({ ok: false, error: { code: 'obs-password-refused' } });
  });

  it('says OBS cannot be reached when nothing listens (the browser only reports close code 1006)', async () => {
    const url = `ws://127.0.0.1:${await freePort()}`;
    expect(await inPage(page, url, obs.password)).toMatchObject({ ok: false, error: { code: 'obs-unreachable', params: { url } } });
  });
});
