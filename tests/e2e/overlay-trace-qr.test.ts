/**
 * The card's traceability QR (issue 17) as a viewer's phone meets it: a real Chromium
 * screenshot of the overlay, decoded with jsqr from the pixels, must give back the product's
 * exact traceUrl, in both layouts at their 1080p size and downscaled to a 720p stream.
 * Also: qr=0 hides it, the relay's image needs a room token. Screenshots go to tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, ROOT, send, startRelay, type TestRelay, type TestSocket } from '../support/relay.js';
import { decodePng, ensureOverlayBuilt, launchChromium, overlayUrl, settle, waitForText } from './overlay-harness.js';

const OUT = join(ROOT, 'tests/artifacts');
const TRACE = 'https://trace.example.cn/report/HL-2026-0912-0087?batch=A3';
let relay: TestRelay;
let browser: Browser;
let host: TestSocket;
let roomId = '';
let overlayToken = '';
let productId = '';

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureOverlayBuilt();
  relay = await startRelay();
  browser = await launchChromium();
  const room = await relay.createRoom({ title: '会理石榴专场' });
  roomId = room.room.id;
  overlayToken = room.tokens.overlay;
  host = (await connectClient(relay.url, roomId, room.tokens.host)).socket;
  const r = await send(host, {
    id: 'qr1',
    type: 'product.add',
    product: { sku: 'HL-POM-5KG', name: '会理软籽石榴', origin: '四川凉山会理', unit: '5 kg/箱', priceMinor: 6990, stock: 8000, netWeightGrams: 5000,
      grade: '特级 · 果径 80 mm+', harvestDate: '2026-09-12', producer: '会理县石榴种植专业合作社联合社', traceUrl: TRACE },
  });
  productId = (r as { result: { productId: string } }).result.productId;
  await send(host, { id: 'qr2', type: 'card.show', productId });
});

afterAll(async () => {
  host?.close();
  await browser?.close();
  await relay?.close();
});

type Img = { width: number; height: number; rgba: Uint8Array };

/** Area-averaged downscale, as an encoder scaling a 1080p canvas to a 720p stream does. */
function downscale(src: Img, width: number, height: number): Img {
  const out = new Uint8Array(width * height * 4);
  const fx = src.width / width;
  const fy = src.height / height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0, 0];
      let n = 0;
      for (let sy = Math.floor(y * fy); sy < Math.min(src.height, Math.ceil((y + 1) * fy)); sy++) {
        for (let sx = Math.floor(x * fx); sx < Math.min(src.width, Math.ceil((x + 1) * fx)); sx++) {
          const i = (sy * src.width + sx) * 4;
          for (let k = 0; k < 4; k++) acc[k]! += src.rgba[i + k]!;
          n++;
        }
      }
      for (let k = 0; k < 4; k++) out[(y * width + x) * 4 + k] = Math.round(acc[k]! / n);
    }
  }
  return { width, height, rgba: out };
}

async function capture(layout: string, viewport: { width: number; height: number }, extra: Record<string, string> = {}): Promise<{ img: Img; hasQr: boolean }> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    await page.goto(overlayUrl(relay.url, roomId, overlayToken, { layout, ...extra }));
    await waitForText(page, '[data-part="product-name"]', '会理软籽石榴');
    const hasQr = (await page.locator('[data-part="trace-qr"]').count()) > 0;
    if (hasQr) await page.waitForFunction(() => (document.querySelector('[data-part="trace-qr"]') as HTMLImageElement | null)?.complete === true);
    await settle(page);
    // Over a dark frame, as it sits on a stream (a transparent shot would be read against white).
    await page.addStyleTag({ content: 'html { background: #20242c !important }' });
    const png = await page.screenshot({ path: join(OUT, `overlay-qr-${layout}${extra.qr === '0' ? '-off' : ''}.png`) });
    return { img: decodePng(png), hasQr };
  } finally {
    await context.close();
  }
}

const read = (img: Img) => jsQR(new Uint8ClampedArray(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength), img.width, img.height)?.data ?? null;

describe('the trace QR on the card', () => {
  it('decodes to the traceUrl from a 1920×1080 screenshot, and from it scaled to 1280×720', async () => {
    const { img, hasQr } = await capture('landscape', { width: 1920, height: 1080 });
    expect(hasQr).toBe(true);
    expect(read(img)).toBe(TRACE);
    expect(read(downscale(img, 1280, 720))).toBe(TRACE);
  });

  it('decodes to the traceUrl from a 1080×1920 portrait screenshot, and from it scaled to 720×1280', async () => {
    const { img } = await capture('portrait', { width: 1080, height: 1920 });
    expect(read(img)).toBe(TRACE);
    expect(read(downscale(img, 720, 1280))).toBe(TRACE);
  });

  it('is off with qr=0', async () => {
    const { img, hasQr } = await capture('landscape', { width: 1920, height: 1080 }, { qr: '0' });
    expect(hasQr).toBe(false);
    expect(read(img)).toBeNull();
  });

  it("the relay's image needs a room token and a product with a traceUrl", async () => {
    const base = `${relay.url}/api/rooms/${roomId}/products/${productId}/trace.svg`;
    const good = await fetch(`${base}?token=${overlayToken}`);
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toContain('image/svg+xml');
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(`${base}?token=nope`)).status).toBe(401);
    expect((await fetch(`${relay.url}/api/rooms/${roomId}/products/nope/trace.svg?token=${overlayToken}`)).status).toBe(404);
  });
});
