/**
 * Renders the extension's toolbar/store icons from their one source, assets/icon/liveshelf.svg,
 * into extension/public/icon/{16,32,48,128}.png (the sizes the manifest lists: toolbar, extensions
 * page, store). Debian's Chromium rasterizes the SVG at each size itself (no scaling of a large
 * PNG), so the small sizes keep the hinting of a vector drawn on a 16 px grid. The 128 px icon
 * is the store's: Chrome Web Store asks for 96 px of artwork with 16 px of transparent margin.
 * Run: node --import tsx scripts/render-icons.ts   (then look at the PNGs before committing them)
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.js';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'assets/icon/liveshelf.svg');
const OUT = join(ROOT, 'extension/public/icon');
export const ICON_SIZES = [16, 32, 48, 128] as const;
/** Transparent margin around the artwork, per size (only the store's 128 px icon has one). */
const MARGIN: Record<number, number> = { 128: 16 };

const svg = readFileSync(SOURCE, 'utf8');
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const size of ICON_SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const m = MARGIN[size] ?? 0;
    await page.setContent(`<style>html,body{margin:0;background:transparent}img{display:block;margin:${m}px}</style><img src="${src}" width="${size - 2 * m}" height="${size - 2 * m}">`);
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: join(OUT, `${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`wrote ${ICON_SIZES.map((s) => `${s}.png`).join(', ')} to ${OUT}`);
