/**
 * A QR code as one SVG path of its dark modules, for every QR LiveShelf draws: the card's trace
 * QR (made on the relay, overlay/relay/trace-qr.ts) and the console's link QR (a co-host's or a
 * person's link, drawn in the page from this path with DOM/SVG APIs, no markup string and no
 * network request). qrcode-generator: no dependencies, one file, kept since 2009. Level M survives
 * a blurred stream or a phone camera a little off better than L at a few more modules; the quiet
 * zone is the standard's 4 modules, included in `size`, for the caller to paint light.
 * Pure (house rule 1): the encoder touches neither Node nor the DOM.
 */
import qrcode from 'qrcode-generator';

export const QR_QUIET = 4;

/** `text` must be ASCII (a URL's href is): the encoder's byte mode takes one byte per character. */
export function qrPath(text: string): { size: number; d: string } {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + QR_QUIET} ${r + QR_QUIET}h1v1h-1z`;
  }
  return { size: n + 2 * QR_QUIET, d };
}
