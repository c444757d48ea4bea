/**
 * A catalog file's bytes → its text, with no setting for the host to find: what Excel and WPS
 * save is UTF-8 (with the BOM Excel adds, or without: LibreOffice, Numbers, scripts), GBK on a
 * Chinese Windows ("CSV (逗号分隔)" saves in the system code page, 936), or UTF-16 with a BOM
 * ("Unicode 文本" / "Unicode text", tab-separated). The order is what makes it safe:
 * 1. a BOM says it all (UTF-8 EF BB BF, UTF-16 LE FF FE, UTF-16 BE FE FF);
 * 2. else a strict UTF-8 decode: GBK text is almost never valid UTF-8 (its lead bytes 0x81–0xFE
 *    followed by a second byte in 0x40–0xFE do not form UTF-8 sequences), and ASCII is both;
 * 3. when that decode refuses the bytes, GB18030 — a superset of GBK and GB2312, decoded by the
 *    platform's own TextDecoder (browsers, Node with full ICU), so no code table ships here.
 * A file in another legacy code page (a French Windows' CP-1252) reads as GB18030 too, wrongly:
 * the preview says which encoding it used (csv-read-as), so the host sees it before importing.
 */

export type CatalogEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface DecodedCatalog {
  /** The text without its BOM. */
  text: string;
  encoding: CatalogEncoding;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

export function decodeCatalogBytes(bytes: Uint8Array): DecodedCatalog {
  // ignoreBOM: the BOM is cut here, once; the decoder must not look for one of its own.
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  if (startsWith(bytes, [0xff, 0xfe])) return { text: new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: GB18030 maps every byte sequence to text (an unmapped one to U+FFFD), so this decode does not throw.
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}
