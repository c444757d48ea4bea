/**
 * A catalog file the host chose → the import's preview: what it is is read from its first bytes,
 * not its name (a workbook renamed .csv, a .txt of tab-separated text): an .xlsx is a zip
 * ("PK\x03\x04"), read by read-excel-file (catalog-workbook.ts, loaded on first use, in a
 * chunk of its own: neither the side panel's first bundle nor the CSV import carries it);
 * anything else is text, decoded by shared/catalog-bytes.ts. An old binary .xls (OLE2) or a zip
 * that is no workbook is refused with what to do, not read as garbled text.
 */
import { decodeCatalogBytes, type CatalogEncoding } from '../../shared/catalog-bytes';
import { parseCatalogCsv, parseCatalogRows, type CsvImport } from '../../shared/catalog-csv';
import type { Translate } from './i18n';

/** What the preview says it read: the text's encoding and separator, or the workbook's sheet. */
export type CatalogSource = { kind: 'text'; encoding: CatalogEncoding } | { kind: 'workbook'; sheet: string; sheetNumber: number };

/** file_unreadable: the browser could not read the file, or the workbook reader's chunk did not load. */
export type CatalogFileProblem = 'old_xls' | 'workbook_unreadable' | 'file_unreadable';

export type CatalogFileRead = { ok: true; parsed: CsvImport; source: CatalogSource } | { ok: false; problem: CatalogFileProblem };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const opens = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

export async function readCatalogFile(file: Blob, currency: string): Promise<CatalogFileRead> {
  const buffer = await file.arrayBuffer();
  const bytes = new Uint8Array(buffer);
  if (opens(bytes, OLE2)) return { ok: false, problem: 'old_xls' };
  if (opens(bytes, ZIP)) return readWorkbook(buffer, currency);
  const { text, encoding } = decodeCatalogBytes(bytes);
  return { ok: true, parsed: parseCatalogCsv(text, currency), source: { kind: 'text', encoding } };
}

async function readWorkbook(buffer: ArrayBuffer, currency: string): Promise<CatalogFileRead> {
  const { readFirstSheet } = await import('./catalog-workbook');
  const sheet = await readFirstSheet(buffer);
  if (!sheet) return { ok: false, problem: 'workbook_unreadable' };
  return { ok: true, parsed: parseCatalogRows(sheet.rows, currency), source: { kind: 'workbook', sheet: sheet.sheet, sheetNumber: 1 } };
}

/** Encodings by the names Excel's and WPS's save dialogs show, the same in every language. */
const ENCODING_NAMES: Record<CatalogEncoding, string> = { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 BOM', gb18030: 'GBK', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'windows-1252': 'Windows-1252' };

const SEPARATOR_KEYS = { ',': 'csv.separator.comma', ';': 'csv.separator.semicolon', '\t': 'csv.separator.tab' } as const;

/** The preview's "Read as GBK · semicolon-separated" / "Excel workbook · sheet 1 “Sheet1”" line. */
export function catalogSourceText(source: CatalogSource, delimiter: string | null, t: Translate): string {
  if (source.kind === 'workbook') return t('csv.readAsWorkbook', { n: source.sheetNumber, sheet: source.sheet });
  const key = delimiter !== null && Object.hasOwn(SEPARATOR_KEYS, delimiter) ? SEPARATOR_KEYS[delimiter as keyof typeof SEPARATOR_KEYS] : null;
  const separator = key ? t(key) : t('csv.separator.other', { delimiter: delimiter ?? '' });
  return t('csv.readAs', { encoding: ENCODING_NAMES[source.encoding], separator });
}
