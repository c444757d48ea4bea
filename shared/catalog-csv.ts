/**
 * Catalog import, as hosts keep catalogs: a CSV exported from a spreadsheet (its text, decoded
 * from whatever encoding it was saved in by catalog-bytes.ts; quoted fields with commas and
 * quotes; separated by ",", ";" or a tab; prices typed in major units like "59.90"; empty
 * stock = unlimited) or the first sheet of an .xlsx workbook, read into rows of cells by the
 * extension (extension/ui/catalog-file.ts). Both go down one path: parseCatalogCsv (papaparse
 * splits the text) and parseCatalogRows (a sheet's rows, cells made text by catalogCellText)
 * each give a table of headers and records to catalogOf, which maps columns by the same aliases,
 * converts money without floats and validates each row with the same schema as product.add, so
 * every bad row gets its line number, its field and the reason — as a code with parameters,
 * worded by the console in the host's language (shared/ holds no UI text).
 */
import Papa from 'papaparse';
import { ProductInputSchema, productIssue, type ProductInput, type ProductIssueCode } from './domain.js';
import { FIELD_OF_CSV_HEADER, PRODUCT_FIELD_META, PRODUCT_FIELDS, type ProductField } from './product-fields.js';
import { parseAmount, type DecimalMark, type MoneyError } from './money.js';
import { PresaleInputSchema, type PresaleInput } from './commands/presale.js';

/**
 * The presale columns (issue 17). A presale is not a product field (product.add does not take
 * one; presale.set keeps it, with what it sold), so these are not in the field table: a row
 * with them is imported as product.add, then presale.set. Errors name shipBy / quota, the
 * names the side panel labels (extension/ui/relay-errors.ts).
 */
const PRESALE_HEADERS: Readonly<Record<string, keyof PresaleInput>> = {
  presale_ships: 'shipBy',
  presale_ship_date: 'shipBy',
  预售发货日期: 'shipBy',
  prévente_expédition: 'shipBy',
  prevente_expedition: 'shipBy',
  presale_quota: 'quota',
  预售数量: 'quota',
  quota_prévente: 'quota',
  quota_prevente: 'quota',
};
const presaleOfHeader = (h: string): keyof PresaleInput | undefined => (Object.hasOwn(PRESALE_HEADERS, h) ? PRESALE_HEADERS[h] : undefined);

/**
 * The field a header names (its spellings, lower-cased with spaces/dashes as underscores, are in
 * the field table). Own keys only: a header named "constructor" is not a column.
 */
const fieldOfHeader = (h: string): ProductField | undefined => (Object.hasOwn(FIELD_OF_CSV_HEADER, h) ? FIELD_OF_CSV_HEADER[h] : undefined);
/** The columns a file must have: the fields without a blank value (sku, name, price). */
const REQUIRED = PRODUCT_FIELDS.filter((f) => PRODUCT_FIELD_META[f].blank === 'required');

export interface CsvRow {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  product: ProductInput;
  /** The row's presale columns, when it fills them: imported as presale.set after product.add. */
  presale: PresaleInput | null;
}

/** Why a row (or the header) was refused. */
export type CsvErrorCode =
  | ProductIssueCode
  | Exclude<MoneyError, 'empty'>
  | 'not_whole_number'
  | 'whole_number'
  | 'duplicate_sku'
  | 'missing_columns'
  | 'too_many_fields'
  | 'too_few_fields'
  | 'quotes'
  | 'malformed';

export interface CsvRowError {
  line: number;
  /** The product field ('price', 'original_price', 'stock', 'sku', 'name'…), '(row)' or '(header)'. */
  field: string;
  code: CsvErrorCode;
  /** value (as typed in the file), currency, sku, line (of the first SKU), columns, max. */
  params: Record<string, string | number>;
}

export interface CsvImport {
  rows: CsvRow[];
  errors: CsvRowError[];
  /** Header names that matched no field (ignored, shown to the host). */
  ignoredColumns: string[];
  /** How this file's prices were read (see fileDecimalMark). */
  decimalMark: DecimalMark;
  /** The separator papaparse found in a text file (",", ";", a tab); null for a workbook's cells. */
  delimiter: string | null;
}

/**
 * The decimal mark of the file's own convention, not the console's language: a catalog is
 * written by the team's spreadsheet, whatever language the importing console is in, and the
 * same file must give the same prices in every console. A spreadsheet whose locale writes a
 * decimal comma (fr, de, …) cannot separate columns by commas, so it exports with ";" (Excel,
 * LibreOffice): a ";" file takes "12,50" (and "1 299,00"); a "," file — the sample catalog and
 * the data the hosts' teams export (/work/shared/data/README.md: "59.90") — takes a decimal
 * point, and a quoted "12,50" there is refused as unclear rather than read as 1250.
 * A tab says nothing of the locale (a paste from any spreadsheet, Excel's "Unicode text" in
 * every language): its own prices decide, on evidence only — a decimal comma when some price
 * ends in a comma and one or two digits ("12,90", "1 299,00") and none in a point and one or
 * two digits ("59.90", "1,299.00"); else a point, and what fits neither is refused as unclear.
 */
export function fileDecimalMark(delimiter: string, prices: readonly string[] = []): DecimalMark {
  if (delimiter === ';') return ',';
  if (delimiter !== '\t') return '.';
  const some = (decimals: RegExp) => prices.some((p) => decimals.test(p.trim()));
  return some(/\d,\d{1,2}$/) && !some(/\d\.\d{1,2}$/) ? ',' : '.';
}

const PAPA_CODES: Record<string, CsvErrorCode> = {
  TooManyFields: 'too_many_fields',
  TooFewFields: 'too_few_fields',
  MissingQuotes: 'quotes',
  InvalidQuotes: 'quotes',
};

const normalizeHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Counts occurrences of `nl` in `text` from `from` to `to`. */
function countBreaks(text: string, nl: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf(nl, from); i !== -1 && i < to; i = text.indexOf(nl, i + 1)) n++;
  return n;
}

export function parseCatalogCsv(text: string, currency: string): CsvImport {
  const body = text.replace(/^\uFEFF/, '');
  // A record's line is not its index + 2: skipped blank lines and line breaks inside quoted
  // fields both shift it. Papa reports where each record ends (meta.cursor); the record starts
  // as many line breaks earlier as its own fields contain.
  const records: { record: Record<string, string>; line: number }[] = [];
  const errors: CsvRowError[] = [];
  let fields: string[] | undefined;
  let delimiter = ',';
  let scanned = 0;
  let breaksBefore = 0;
  Papa.parse<Record<string, string>>(body, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: normalizeHeader,
    step: (r) => {
      fields ??= r.meta.fields;
      delimiter = r.meta.delimiter;
      const nl = r.meta.linebreak === '\r' ? '\r' : '\n';
      let end = Math.min(r.meta.cursor, body.length);
      if (body.startsWith('\r\n', end - 2)) end -= 2;
      else if (body[end - 1] === '\n' || body[end - 1] === '\r') end -= 1;
      breaksBefore += countBreaks(body, nl, scanned, end);
      scanned = Math.max(scanned, end);
      const inside = Object.values(r.data as Record<string, unknown>).reduce<number>((n, v) => {
        const values = Array.isArray(v) ? v : [v];
        return n + values.reduce<number>((m, x) => m + (typeof x === 'string' ? x.split(nl).length - 1 : 0), 0);
      }, 0);
      const line = breaksBefore + 1 - inside;
      for (const e of r.errors) errors.push({ line, field: '(row)', code: PAPA_CODES[e.code] ?? 'malformed', params: {} });
      records.push({ record: r.data, line });
    },
  });
  // A file with a header and no rows runs no step: read the header on its own.
  if (!fields) {
    const head = Papa.parse<Record<string, string>>(body, { header: true, preview: 1, skipEmptyLines: 'greedy', transformHeader: normalizeHeader });
    fields = head.meta.fields;
    delimiter = head.meta.delimiter;
  }
  const moneyHeaders = (fields ?? []).filter((h) => {
    const field = fieldOfHeader(h);
    return field !== undefined && PRODUCT_FIELD_META[field].csv.kind === 'money';
  });
  const prices = records.flatMap(({ record }) => moneyHeaders.map((h) => record[h]).filter((v): v is string => typeof v === 'string'));
  return catalogOf({ headers: fields ?? [], headerLine: 1, records, errors }, currency, fileDecimalMark(delimiter, prices), delimiter);
}

/**
 * A catalog as rows of cells, the header first: a workbook's sheet (extension/ui/catalog-file.ts
 * makes its cells text with catalogCellText). Each record's line is its row in the sheet (row
 * 1 is the first, as the spreadsheet numbers them); empty rows are skipped, and the header is
 * the first row that is not empty. Cells under a column with no header are nobody's: skipped.
 * Prices read with a decimal point, as catalogCellText writes a number cell ("12.9"); a price
 * typed as text keeps the CSV rule for a "," file (a text "12,90" is refused as unclear).
 */
export function parseCatalogRows(rows: readonly (readonly string[])[], currency: string): CsvImport {
  const filled = (row: readonly string[]) => row.some((c) => c.trim() !== '');
  const headerAt = rows.findIndex(filled);
  // Repeated names as papaparse renames them (name, name_1…): the first one is the column.
  const count = new Map<string, number>();
  const headers = (rows[headerAt] ?? []).map((h) => {
    const name = normalizeHeader(h);
    const n = count.get(name) ?? 0;
    count.set(name, n + 1);
    return name === '' || n === 0 ? name : `${name}_${n}`;
  });
  const records = rows.flatMap((row, i) => {
    if (i <= headerAt || !filled(row)) return [];
    const record: Record<string, string> = {};
    headers.forEach((h, j) => {
      if (h !== '') record[h] = row[j] ?? '';
    });
    return [{ record, line: i + 1 }];
  });
  return catalogOf({ headers: headers.filter((h) => h !== ''), headerLine: Math.max(headerAt, 0) + 1, records, errors: [] }, currency, '.', null);
}

/**
 * A workbook cell as the text a CSV would hold for it: a number as the spreadsheet shows it at
 * its 15 significant digits (12.9, not 12.899999999999999 from a formula), a date cell as
 * YYYY-MM-DD (the reader gives it at UTC midnight of its calendar day), TRUE / FALSE, an empty
 * cell as ''.
 */
export function catalogCellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(Number(cell.toPrecision(15))) : '';
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell);
}

/** A catalog split into columns: header names (normalised), records keyed by them with their line. */
interface CatalogTable {
  headers: string[];
  /** The header's own line, where a missing column is reported. */
  headerLine: number;
  records: { record: Record<string, unknown>; line: number }[];
  /** What splitting it already found wrong (papaparse's quote and field-count errors). */
  errors: CsvRowError[];
}

/** Columns by their aliases, cells by their field's kind, rows by product.add's schema: the one path of CSV and workbook. */
function catalogOf(table: CatalogTable, currency: string, decimalMark: DecimalMark, delimiter: string | null): CsvImport {
  const { headers, records, errors } = table;
  const ignoredColumns = headers.filter((h) => fieldOfHeader(h) === undefined && presaleOfHeader(h) === undefined);
  const missing = REQUIRED.filter((f) => !headers.some((h) => fieldOfHeader(h) === f)).map((f) => PRODUCT_FIELD_META[f].csv.column);
  if (missing.length > 0) {
    errors.push({ line: table.headerLine, field: '(header)', code: 'missing_columns', params: { columns: missing.join(', ') } });
    return { rows: [], errors, ignoredColumns, decimalMark, delimiter };
  }
  const rows: CsvRow[] = [];
  const seen = new Map<string, number>();
  records.forEach(({ record, line }) => {
    const draft: Record<string, unknown> = {};
    const rowErrors: CsvRowError[] = [];
    const presaleCells: Partial<Record<keyof PresaleInput, string>> = {};
    for (const [header, raw] of Object.entries(record)) {
      const presaleField = presaleOfHeader(header);
      if (presaleField && raw !== undefined) presaleCells[presaleField] = String(raw).trim();
      const field = fieldOfHeader(header);
      if (!field || raw === undefined) continue;
      const value = String(raw).trim();
      const { blank, csv } = PRODUCT_FIELD_META[field];
      const column = csv.column;
      if (csv.kind === 'money') {
        if (value === '') {
          if (blank === 'required') rowErrors.push({ line, field: column, code: 'required', params: {} });
          continue;
        }
        const money = parseAmount(value, currency, decimalMark);
        if (!money.ok) rowErrors.push({ line, field: column, code: money.error === 'empty' ? 'required' : money.error, params: { value, currency } });
        else draft[field] = money.minor;
      } else if (csv.kind === 'count' || csv.kind === 'whole') {
        if (value === '') draft[field] = blank;
        else if (/^\d+$/.test(value)) draft[field] = Number(value);
        else rowErrors.push({ line, field: column, code: csv.kind === 'count' ? 'not_whole_number' : 'whole_number', params: { value } });
      } else if (value !== '' || blank === 'required') {
        // An empty SKU or name goes to the schema, which calls it empty ('required').
        draft[field] = value;
      }
    }
    const presale = presaleOfRow(presaleCells, line, rowErrors);
    if (rowErrors.length === 0) {
      const r = ProductInputSchema.safeParse(draft);
      if (!r.success) for (const issue of r.error.issues) rowErrors.push({ line, ...productIssue(issue) });
      else {
        const first = seen.get(r.data.sku);
        if (first !== undefined) rowErrors.push({ line, field: 'sku', code: 'duplicate_sku', params: { sku: r.data.sku, line: first } });
        else {
          seen.set(r.data.sku, line);
          rows.push({ line, product: r.data, presale });
        }
      }
    }
    errors.push(...rowErrors);
  });
  return { rows, errors, ignoredColumns, decimalMark, delimiter };
}

/**
 * A row's presale: none when both cells are empty; a quota without a ship date is refused
 * (shipBy required), an empty quota is no limit, and the rest is presale.set's own schema.
 */
function presaleOfRow(cells: Partial<Record<keyof PresaleInput, string>>, line: number, errors: CsvRowError[]): PresaleInput | null {
  const shipBy = cells.shipBy ?? '';
  const quota = cells.quota ?? '';
  if (shipBy === '' && quota === '') return null;
  if (shipBy === '') {
    errors.push({ line, field: 'shipBy', code: 'required', params: {} });
    return null;
  }
  if (quota !== '' && !/^\d+$/.test(quota)) {
    errors.push({ line, field: 'quota', code: 'not_whole_number', params: { value: quota } });
    return null;
  }
  const r = PresaleInputSchema.safeParse({ shipBy, quota: quota === '' ? null : Number(quota) });
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const field = String(issue.path[0]);
    errors.push(issue.code === 'invalid_format' ? { line, field, code: 'date', params: { value: shipBy } } : { line, field, code: issue.code === 'too_big' ? 'too_large' : 'invalid', params: { value: quota } });
  }
  return null;
}
