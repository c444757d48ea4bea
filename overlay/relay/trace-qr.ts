/**
 * The traceability QR of a product (issue 17): an SVG of its traceUrl, made here on the relay
 * because the overlay's bundle has no room for a QR encoder (25 KB gzipped budget). The modules
 * come from shared/qr.ts (qrcode-generator, level M, the standard's 4-module quiet zone), which
 * the console's link QR uses too; the quiet zone is drawn white into the image itself, since the
 * card behind it is dark and a reader needs light around the finder patterns.
 */
import { qrPath } from '../../shared/qr.js';

export function traceQrSvg(traceUrl: string): string {
  // URL.href is ASCII (punycode host, percent-encoded path), as the encoder's byte mode needs.
  const { size, d } = qrPath(new URL(traceUrl).href);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`
  );
}
