/**
 * The store listings' screenshots (store/screenshots/*.png, 1280×800 as the Chrome Web Store asks):
 * the side panel in use, beside what the viewers see. Nothing is mocked: the built extension in
 * Debian's Chromium, a real relay with SQLite (tests/support/relay.ts, as the e2e tests start it),
 * products added through the relay's API, then paired, shown, sold and ticked in the panel with
 * clicks, and the real overlay page. The panel and the overlay are shot apart and laid side by
 * side on one 1280×800 page with a caption, in each listing's language.
 * Run after `npm run build`: node --import tsx scripts/store-screenshots.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { launchWithExtension, pairAsHost, ROOT } from '../tests/e2e/extension-browser.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.js';
import { api, startRelay } from '../tests/support/relay.js';

const OUT = join(ROOT, 'store/screenshots');
const PANEL = { width: 400, height: 800 };

interface Listing {
  locale: 'en' | 'zh-CN';
  title: string;
  caption: string;
  sub: string;
  currency: string;
  ticker: string;
  products: { sku: string; name: string; priceMinor: number; originalPriceMinor?: number; unit: string; stock: number; origin: string; tagline: string }[];
}

const LISTINGS: Listing[] = [
  {
    locale: 'en',
    title: 'Orchard Direct · Spring Live',
    caption: 'Run the live shop from the side panel',
    sub: 'Queue, product cards, +1 sales, ticker and countdown: the overlay in OBS follows at once.',
    currency: 'USD',
    ticker: 'Free shipping on two boxes or more',
    products: [
      { sku: 'HC-APPLE-5', name: 'Honeycrisp apples', priceMinor: 2490, originalPriceMinor: 2990, unit: '5 lb box', stock: 300, origin: 'Wenatchee, WA', tagline: 'Picked this week' },
      { sku: 'BG-PEAR-4', name: 'Bosc pears', priceMinor: 1990, unit: '4 lb box', stock: 180, origin: 'Hood River, OR', tagline: 'Sweet and crisp' },
      { sku: 'WB-HONEY', name: 'Wildflower honey', priceMinor: 1450, unit: '16 oz jar', stock: 120, origin: 'Willamette Valley', tagline: 'Raw, unfiltered' },
      { sku: 'DC-CHERRY', name: 'Dark sweet cherries', priceMinor: 3200, unit: '3 lb box', stock: 90, origin: 'Yakima, WA', tagline: 'First of the season' },
      { sku: 'MO-SYRUP', name: 'Maple syrup', priceMinor: 1800, unit: '12 oz bottle', stock: 60, origin: 'Vermont', tagline: 'Grade A amber' },
    ],
  },
  {
    locale: 'zh-CN',
    title: '永胜石榴助农专场',
    caption: '在侧边栏里掌控直播带货',
    sub: '商品队列、展示卡片、一键 +1 记销售、滚动字幕和倒计时，OBS 里的画面同步更新。',
    currency: 'CNY',
    ticker: '下单备注“石榴”送 1 斤',
    products: [
      { sku: 'YS-POM-5KG', name: '永胜软籽石榴', priceMinor: 5990, originalPriceMinor: 7990, unit: '5 kg 箱', stock: 1600, origin: '云南丽江永胜县', tagline: '软籽可嚼，甜度18+' },
      { sku: 'DS-PEAR-5KG', name: '砀山酥梨', priceMinor: 3990, originalPriceMinor: 4990, unit: '5 kg 箱', stock: 2000, origin: '安徽宿州砀山县', tagline: '皮薄多汁，百年梨园' },
      { sku: 'GN-ORANGE', name: '赣南脐橙', priceMinor: 4990, unit: '5 kg 箱', stock: 3000, origin: '江西赣州', tagline: '现摘现发' },
      { sku: 'WC-RICE', name: '五常稻花香大米', priceMinor: 12800, unit: '10 kg 袋', stock: 400, origin: '黑龙江五常', tagline: '当季新米' },
      { sku: 'LC-APPLE', name: '洛川红富士苹果', priceMinor: 3680, unit: '5 kg 箱', stock: 800, origin: '陕西延安洛川', tagline: '脆甜多汁' },
    ],
  },
];

const png = (b: Buffer) => `data:image/png;base64,${b.toString('base64')}`;

async function shoot(listing: Listing): Promise<string> {
  const relay = await startRelay();
  const ext = await launchWithExtension();
  try {
    const room = await relay.createRoom({ title: listing.title, currency: listing.currency, locale: listing.locale });
    for (const [i, product] of listing.products.entries()) {
      const res = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, method: 'POST', body: { id: `add-${i}`, type: 'product.add', product } });
      if (res.status !== 200) throw new Error(`product.add: ${res.status} ${res.text}`);
    }
    const panel = await ext.openPanel(PANEL);
    await pairAsHost(panel, room);
    const [first, second] = listing.products;
    await panel.getByRole('button', { name: `Show ${second!.name}`, exact: true }).click();
    for (let i = 0; i < 3; i++) await panel.getByRole('button', { name: `+1 ${second!.name}`, exact: true }).click();
    await panel.getByRole('button', { name: `+5 ${first!.name}`, exact: true }).click();
    await panel.getByLabel('Ticker message').fill(listing.ticker);
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.getByRole('button', { name: 'Start' }).click();
    // The overlay in the listing's language (its URL's lang; the room's default is Chinese).
    const overlayUrl = `${room.links.overlay}&lang=${listing.locale}`;
    await panel.getByLabel('Overlay link').fill(overlayUrl);
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.frameLocator('iframe').getByText(second!.name).first().waitFor();
    if (listing.locale !== 'en') {
      await panel.getByLabel('Language').selectOption(listing.locale);
      await panel.locator(`html[lang="${listing.locale}"]`).waitFor();
    }
    // The panel as the host sees it: its top, with the card on air, the counters and the preview
    // (reduced motion: the preview's card stands still, not halfway through its entrance).
    await panel.emulateMedia({ reducedMotion: 'reduce' });
    await panel.waitForTimeout(500);
    await panel.evaluate(() => document.fonts.ready);
    const panelShot = await panel.screenshot();

    // What the viewers see: the overlay page, transparent, over a plain "camera" backdrop.
    // Reduced motion: the card and the ticker hold still (overlay.css), so the shot shows them whole.
    const viewer = await ext.context.newPage();
    await viewer.emulateMedia({ reducedMotion: 'reduce' });
    await viewer.setViewportSize({ width: 1280, height: 720 });
    await viewer.goto(overlayUrl);
    await viewer.getByText(second!.name).first().waitFor();
    await viewer.waitForTimeout(500);
    const overlayShot = await viewer.screenshot({ omitBackground: true });
    return await compose(listing, panelShot, overlayShot);
  } finally {
    await ext.close();
    await relay.close();
  }
}

/** One 1280×800 picture: the caption and the stream (overlay over a backdrop) on the left, the panel on the right. */
async function compose(listing: Listing, panelShot: Buffer, overlayShot: Buffer): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: listing.locale });
    await page.setContent(`<!doctype html><html lang="${listing.locale}"><meta charset="utf-8"><style>
      body { margin: 0; width: 1280px; height: 800px; display: flex; background: #eef0f3; overflow: hidden;
        font-family: system-ui, 'Noto Sans CJK SC', sans-serif; color: #16181d; }
      .left { width: 880px; padding: 56px 40px 0; box-sizing: border-box; }
      h1 { font-size: 34px; margin: 0 0 12px; line-height: 1.2; }
      p { font-size: 18px; margin: 0 0 36px; color: #4a505b; line-height: 1.45; }
      .stream { position: relative; width: 800px; height: 450px; border-radius: 12px; overflow: hidden;
        background: radial-gradient(circle at 30% 35%, #8a6e5a, #3b2f2a 70%); box-shadow: 0 8px 28px rgb(0 0 0 / 25%); }
      .stream img { position: absolute; inset: 0; width: 100%; height: 100%; }
      .panel { width: 400px; height: 800px; box-shadow: -6px 0 24px rgb(0 0 0 / 18%); }
    </style><div class="left"><h1>${listing.caption}</h1><p>${listing.sub}</p>
      <div class="stream"><img src="${png(overlayShot)}" alt=""></div></div>
    <img class="panel" src="${png(panelShot)}" alt=""></html>`);
    await page.evaluate(() => Promise.all([document.fonts.ready, ...[...document.images].map((i) => i.decode())]));
    const file = join(OUT, `chrome-${listing.locale}-1.png`);
    writeFileSync(file, await page.screenshot());
    return file;
  } finally {
    await browser.close();
  }
}

mkdirSync(OUT, { recursive: true });
for (const listing of LISTINGS) {
  rmSync(join(OUT, `chrome-${listing.locale}-1.png`), { force: true });
  console.log('wrote', await shoot(listing));
}
