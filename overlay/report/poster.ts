/**
 * The results poster (issue 19): one PNG for the county's publicity, drawn in the page with the
 * Canvas 2D API (no server-side browser, no library: a few rectangles and lines of text). Two
 * sizes, portrait 1080×1920 for phone feeds (WeChat Moments, Douyin) and landscape 1920×1080.
 *
 * The figures come already written in the room's language (poster-figures.ts); this file only
 * lays them out: a kicker, the room title (two lines at most), the date, one hero figure (the
 * tonnes when the goods have a net weight, else the revenue), the other figures, the top products.
 */

export interface PosterContent {
  kicker: string;
  title: string;
  date: string;
  hero: { label: string; value: string };
  figures: { label: string; value: string }[];
  top: { heading: string; rows: { name: string; value: string }[] };
  footer: string;
}

export type PosterSize = 'portrait' | 'landscape';
export const POSTER_PIXELS: Record<PosterSize, [number, number]> = { portrait: [1080, 1920], landscape: [1920, 1080] };

const FONT = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";
const RED_TOP = '#7f1d1d';
const RED_BOTTOM = '#b91c1c';
const GOLD = '#fde68a';
const WHITE = '#ffffff';
const SOFT = 'rgba(255, 255, 255, 0.82)';

type Ctx = CanvasRenderingContext2D;

function font(ctx: Ctx, px: number, weight = 700): void {
  ctx.font = `${weight} ${px}px ${FONT}`;
}

/** The largest size ≤ max (down to min) at which the text fits the width; below min it is cut with an ellipsis. */
function fitted(ctx: Ctx, text: string, width: number, max: number, min: number, weight = 700): { px: number; text: string } {
  for (let px = max; px >= min; px -= 2) {
    font(ctx, px, weight);
    if (ctx.measureText(text).width <= width) return { px, text };
  }
  font(ctx, min, weight);
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return { px: min, text: `${cut}…` };
}

/** Splits a title into at most two lines that fit: by words where there are spaces, else by characters (CJK). */
function titleLines(ctx: Ctx, text: string, width: number, px: number): string[] {
  font(ctx, px);
  if (ctx.measureText(text).width <= width) return [text];
  const parts = /\s/.test(text) ? text.split(/(\s+)/) : [...text];
  let first = '';
  let i = 0;
  for (; i < parts.length; i++) {
    if (ctx.measureText(first + parts[i]).width > width) break;
    first += parts[i];
  }
  return [first.trimEnd(), parts.slice(i).join('').trimStart()];
}

function text(ctx: Ctx, s: string, x: number, y: number, px: number, colour: string, weight = 700, align: CanvasTextAlign = 'left'): void {
  font(ctx, px, weight);
  ctx.fillStyle = colour;
  ctx.textAlign = align;
  ctx.fillText(s, x, y);
}

function panel(ctx: Ctx, x: number, y: number, w: number, h: number): void {
  ctx.fillStyle = 'rgba(0, 0, 0, 0.22)';
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 24);
  ctx.fill();
}

/** The title block (kicker, title, date) from y; gives the y below it. */
function header(ctx: Ctx, c: PosterContent, x: number, y: number, width: number, titlePx: number): number {
  text(ctx, c.kicker, x, y, Math.round(titlePx * 0.45), GOLD, 700);
  y += Math.round(titlePx * 0.45) + 28;
  const first = fitted(ctx, c.title, width, titlePx, Math.round(titlePx * 0.7));
  const lines = first.px >= Math.round(titlePx * 0.7) && first.text === c.title ? [c.title] : titleLines(ctx, c.title, width, Math.round(titlePx * 0.8));
  const px = lines.length === 1 ? first.px : Math.round(titlePx * 0.8);
  for (const line of lines.slice(0, 2)) {
    const f = fitted(ctx, line, width, px, Math.round(px * 0.6));
    y += f.px;
    text(ctx, f.text, x, y, f.px, WHITE, 800);
    y += 18;
  }
  y += Math.round(titlePx * 0.7);
  text(ctx, c.date, x, y, Math.round(titlePx * 0.42), SOFT, 500);
  return y + 24;
}

function hero(ctx: Ctx, c: PosterContent, x: number, y: number, width: number, px: number): number {
  text(ctx, c.hero.label, x, y + Math.round(px * 0.3), Math.round(px * 0.3), SOFT, 600);
  y += Math.round(px * 0.3) + 24;
  const f = fitted(ctx, c.hero.value, width, px, Math.round(px * 0.45), 900);
  y += Math.round(f.px * 0.85);
  text(ctx, f.text, x, y, f.px, GOLD, 900);
  return y + 36;
}

/** The other figures, side by side in panels of equal width. */
function figures(ctx: Ctx, c: PosterContent, x: number, y: number, width: number, h: number): number {
  const n = c.figures.length;
  if (n === 0) return y;
  const gap = 24;
  const w = (width - gap * (n - 1)) / n;
  c.figures.forEach((f, i) => {
    const fx = x + i * (w + gap);
    panel(ctx, fx, y, w, h);
    text(ctx, f.label, fx + 28, y + 28 + Math.round(h * 0.2), Math.round(h * 0.2), SOFT, 600);
    const v = fitted(ctx, f.value, w - 56, Math.round(h * 0.38), Math.round(h * 0.2), 800);
    text(ctx, v.text, fx + 28, y + h - 32, v.px, WHITE, 800);
  });
  return y + h + 40;
}

function topList(ctx: Ctx, c: PosterContent, x: number, y: number, width: number, rowH: number, rows: number): number {
  const shown = c.top.rows.slice(0, rows);
  if (shown.length === 0) return y;
  const h = 40 + Math.round(rowH * 0.6) + shown.length * rowH + 20;
  panel(ctx, x, y, width, h);
  text(ctx, c.top.heading, x + 32, y + 32 + Math.round(rowH * 0.4), Math.round(rowH * 0.4), GOLD, 700);
  let ry = y + 40 + Math.round(rowH * 0.6);
  shown.forEach((r, i) => {
    const full = Math.round(rowH * 0.42);
    // Name and figures share the row: both get smaller together before the name is cut.
    let px = full;
    for (; px > Math.round(full * 0.7); px -= 2) {
      font(ctx, px, 600);
      if (ctx.measureText(r.name).width + ctx.measureText(r.value).width <= width - 168) break;
    }
    text(ctx, `${i + 1}`, x + 32, ry + rowH * 0.65, full, GOLD, 900);
    font(ctx, px, 600);
    const valueWidth = ctx.measureText(r.value).width;
    const name = fitted(ctx, r.name, width - 120 - valueWidth - 48, px, px, 600);
    text(ctx, name.text, x + 88, ry + rowH * 0.65, name.px, WHITE, 600);
    text(ctx, r.value, x + width - 32, ry + rowH * 0.65, px, SOFT, 600, 'right');
    ry += rowH;
  });
  return y + h;
}

/** Draws the poster on a canvas of the size's pixels. */
export function drawPoster(canvas: HTMLCanvasElement, size: PosterSize, c: PosterContent): void {
  const [w, h] = POSTER_PIXELS[size];
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const bg = ctx.createLinearGradient(0, 0, size === 'portrait' ? 0 : w, h);
  bg.addColorStop(0, RED_TOP);
  bg.addColorStop(1, RED_BOTTOM);
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, w, h);
  // A gold rule at the top, the poster's one ornament.
  ctx.fillStyle = GOLD;
  ctx.fillRect(0, 0, w, 14);
  ctx.textBaseline = 'alphabetic';
  // Laid out once to measure, then drawn again centred in the height above the footer.
  const content = (dy: number): number => {
    if (size === 'portrait') {
      const m = 84;
      let y = header(ctx, c, m, 120 + dy, w - 2 * m, 100);
      y = hero(ctx, c, m, y + 60, w - 2 * m, 240);
      y = figures(ctx, c, m, y + 10, w - 2 * m, 220);
      return topList(ctx, c, m, y + 10, w - 2 * m, 112, 5);
    }
    const m = 96;
    const left = 820;
    const y = header(ctx, c, m, 120 + dy, left - m, 84);
    const heroEnd = hero(ctx, c, m, y + 40, left - m, 210);
    const rx = left + 64;
    const rw = w - rx - m;
    const listEnd = topList(ctx, c, rx, figures(ctx, c, rx, 96 + dy, rw, 190), rw, 92, 4);
    return Math.max(heroEnd, listEnd);
  };
  const end = content(0);
  const room = h - 150 - end;
  if (room > 0) {
    ctx.fillStyle = bg;
    ctx.fillRect(0, 14, w, h - 14);
    content(Math.round(room / 2));
  }
  text(ctx, c.footer, w / 2, h - 56, 30, SOFT, 500, 'center');
}

/** The poster as a PNG file handed to the browser's download (a Blob URL: no request leaves the page). */
export function savePoster(size: PosterSize, c: PosterContent, fileName: string): Promise<void> {
  const canvas = document.createElement('canvas');
  drawPoster(canvas, size, c);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => {
      if (!blob) return reject(new Error('the poster could not be drawn'));
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      resolve();
    }, 'image/png'),
  );
}
