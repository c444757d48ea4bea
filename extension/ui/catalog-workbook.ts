/**
 * An .xlsx workbook's first sheet as rows of text cells (read-excel-file, then catalogCellText:
 * numbers and dates as a CSV would hold them). Only catalog-file.ts imports this module, and
 * only by import() once a workbook is chosen: the library is this chunk's, in no other bundle.
 */
import readXlsxFile from 'read-excel-file/browser';
import { catalogCellText } from '../../shared/catalog-csv';

/** null: not an .xlsx the library can read (an .ods, another zip, a damaged file). */
export async function readFirstSheet(buffer: ArrayBuffer): Promise<{ sheet: string; rows: string[][] } | null> {
  try {
    // trim: false — cells are trimmed by the catalog's own rules (catalogOf), as a CSV's are.
    const [first] = await readXlsxFile(buffer, { trim: false });
    return first ? { sheet: first.sheet, rows: first.data.map((row) => row.map(catalogCellText)) } : null;
  } catch {
    // The library's reasons are in English only; the console says what to do in the host's language.
    return null;
  }
}
