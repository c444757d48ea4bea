/**
 * The traceability QR of a product (issue 17): an SVG of its traceUrl, made here on the relay
 * because the overlay's bundle has no room for a QR encoder (25 KB gzipped budget).
 * qrcode-generator: no dependencies, one file, kept since 2009 (`qrcode` pulls in yargs and
 * pngjs for its CLI; `uqr` is 0.1.x). Level M survives a compressed 1080p stream's blur
 * better than L at a few more modules; the quiet zone is the standard's 4 modules, drawn
 * white into the image itself, since the card behind it is dark and a reader needs light
 * around the finder patterns.
 */
import qrcode from 'qrcode-generator';

const QUIET = 4;

export function traceQrSvg(traceUrl: string): string {
  const qr = qrcode(0, 'M');
  // URL.href is ASCII (punycode host, percent-encoded path): the encoder's byte mode takes
  // one byte per character, so no text outside ASCII may reach it.
  qr.addData(new URL(traceUrl).href, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const size = n + 2 * QUIET;
  let path = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) path += `M${c + QUIET} ${r + QUIET}h1v1h-1z`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}
