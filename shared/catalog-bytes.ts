/**
 * A catalog file's bytes → its text, with no setting for the host to find: what Excel and WPS
 * save is UTF-8 (with the BOM Excel adds, or without: LibreOffice, Numbers, scripts), GBK on a
 * Chinese Windows ("CSV (逗号分隔)" saves in the system code page, 936), or UTF-16 with a BOM
 * ("Unicode 文本" / "Unicode text", tab-separated). The order is what makes it safe:
 * 1. a BOM says it all (UTF-8 EF BB BF, UTF-16 LE FF FE, UTF-16 BE FE FF);
 * 2. else a strict UTF-8 decode: GBK text is almost never valid UTF-8 (its lead bytes 0x81–0xFE
 *    followed by a second byte in 0x40–0xFE do not form UTF-8 sequences), and ASCII is both;
 * 3. when that decode refuses the bytes, a strict GB18030 decode — a superset of GBK and GB2312,
 *    decoded by the platform's own TextDecoder (browsers, Node with full ICU), so no code table
 *    ships here. A file Excel or WPS saved in GBK is always valid GB18030;
 * 4. when that refuses them too, Windows-1252: what a French (or any Western) Excel saves as
 *    "CSV (séparateur : point-virgule)". Its accented letters are single bytes, and one followed
 *    by a space, a separator or a line end (été;) is no GBK character, so such a file fails
 *    step 3. One whose every accent is followed by a letter could pass as GBK: the preview says
 *    which encoding it used (csv-read-as) and shows the names, so the host sees it before importing.
 */

export type CatalogEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be' | 'windows-1252';

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
  for (const [label, encoding] of [['utf-8', 'utf-8'], ['gb18030', 'gb18030']] as const) {
    try {
      return { text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes), encoding };
    } catch {
      // Not this encoding: try the next.
    }
  }
  // Windows-1252 maps every byte to a character: this decode cannot fail.
  return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
}
