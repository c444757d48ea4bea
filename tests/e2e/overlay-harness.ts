/**
 * What the overlay's Chromium tests and bench share: the built page (built here when missing or
 * older than its sources, so `vitest run` works with or without `npm run build` first), a real
 * Debian Chromium, and a tiny PNG decoder to read pixels of an omitBackground screenshot.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { ROOT } from '../support/relay.js';

export const OVERLAY_DIST = join(ROOT, 'dist/overlay');
const PAGE_SRC = join(ROOT, 'overlay/page');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p));
    else if (/\.(tsx?|css|html|js)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function isFresh(): boolean {
  const index = join(OVERLAY_DIST, 'index.html');
  if (!existsSync(index) || !existsSync(join(OVERLAY_DIST, 'sw.js'))) return false;
  return statSync(index).mtimeMs >= Math.max(newestMtime(PAGE_SRC), statSync(join(ROOT, 'shared/money.ts')).mtimeMs);
}

/** Builds dist/overlay with Vite when it is missing or stale; a lock dir keeps parallel test files from racing. */
export async function ensureOverlayBuilt(): Promise<void> {
  if (isFresh()) return;
  const lock = join(ROOT, 'dist/.overlay-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building: wait for it (event-free polling of the lock, not a timed assertion).
      await new Promise((r) => setTimeout(r, 200));
      if (!existsSync(lock) && isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    const { build } = await import('vite');
    // Vitest sets NODE_ENV=test, which would make Vite and the Preact preset build a
    // development bundle (with devtools); the relay must serve what `npm run build` makes.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(PAGE_SRC, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}


export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export function overlayUrl(relayUrl: string, room: string, token: string, extra: Record<string, string> = {}): string {
  return `${relayUrl}/overlay/?${new URLSearchParams({ room, token, ...extra }).toString()}`;
}

/** Waits until the text of the first element matching `selector` contains `text` (or, with `text` null, until none matches). */
export async function waitForText(page: Page, selector: string, text: string | null, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => {
      const el = document.querySelector(sel as string);
      return want === null ? el === null : el !== null && (el.textContent ?? '').includes(want as string);
    },
    [selector, text] as const,
    { timeout },
  );
}

/** Resolves when every finite animation on the page has finished (entry animations, stamp, odometer). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))),
  );
}

export async function partText(page: Page, part: string): Promise<string | null> {
  return page.evaluate((p) => document.querySelector(`[data-part="${p}"]`)?.textContent ?? null, part);
}

/** RGBA pixels of an 8-bit RGBA or RGB, non-interlaced PNG (what Chromium writes for screenshots). */
export function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      colorType = data[9] ?? 0;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!channels) throw new Error(`PNG color type ${colorType} not handled`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (cur[i - channels] ?? 0) : 0;
      const b = prev[i] ?? 0;
      const c = i >= channels ? (prev[i - channels] ?? 0) : 0;
      const x = line[i] ?? 0;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      const o = (y * width + px) * 4;
      out[o] = cur[px * channels] ?? 0;
      out[o + 1] = cur[px * channels + 1] ?? 0;
      out[o + 2] = cur[px * channels + 2] ?? 0;
      out[o + 3] = channels === 4 ? (cur[px * channels + 3] ?? 0) : 255;
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

export function alphaAt(img: { width: number; rgba: Uint8Array }, x: number, y: number): number {
  return img.rgba[(y * img.width + x) * 4 + 3] ?? -1;
}
