/**
 * CSV catalog import, as hosts export it from a spreadsheet (UTF-8 with or without an Excel
 * BOM, quoted fields with commas and quotes, prices typed in major units like "59.90",
 * empty stock = unlimited). Parsing is papaparse's job; this module maps columns, converts
 * money without floats and validates each row with the same schema as product.add, so
 * every bad row gets its line number, its field and the reason.
 */
import Papa from 'papaparse';
import { ProductInputSchema, type ProductInput } from './domain.js';
import { fieldIssues } from './commands.js';
import { parseMoney } from './money.js';

/** Accepted header spellings (lower-cased, spaces/dashes as underscores) for each field. */
const COLUMNS: Record<string, keyof ProductInput | 'price' | 'original_price'> = {
  sku: 'sku', 商品编码: 'sku', 货号: 'sku',
  name: 'name', 商品名称: 'name', 名称: 'name', nom: 'name',
  origin: 'origin', 产地: 'origin', origine: 'origin',
  unit: 'unit', 规格: 'unit', 单位: 'unit', unite: 'unit',
  price: 'price', 价格: 'price', 售价: 'price', prix: 'price',
  original_price: 'original_price', 原价: 'original_price', prix_barre: 'original_price',
  stock: 'stock', 库存: 'stock',
  image_url: 'imageUrl', image: 'imageUrl', 图片: 'imageUrl',
  tagline: 'tagline', 卖点: 'tagline', slogan: 'tagline',
  obs_scene: 'obsScene', scene: 'obsScene', 场景: 'obsScene',
};

export interface CsvRow {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  product: ProductInput;
}

export interface CsvRowError {
  line: number;
  field: string;
  message: string;
}

export interface CsvImport {
  rows: CsvRow[];
  errors: CsvRowError[];
  /** Header names that matched no field (ignored, shown to the host). */
  ignoredColumns: string[];
}

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
  let scanned = 0;
  let breaksBefore = 0;
  Papa.parse<Record<string, string>>(body, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: normalizeHeader,
    step: (r) => {
      fields ??= r.meta.fields;
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
      for (const e of r.errors) errors.push({ line, field: '(row)', message: e.message });
      records.push({ record: r.data, line });
    },
  });
  // A file with a header and no rows runs no step: read the header on its own.
  fields ??= Papa.parse<Record<string, string>>(body, { header: true, preview: 1, skipEmptyLines: 'greedy', transformHeader: normalizeHeader }).meta.fields;
  const headers = fields ?? [];
  const ignoredColumns = headers.filter((h) => !(h in COLUMNS));
  if (!headers.some((h) => COLUMNS[h] === 'sku') || !headers.some((h) => COLUMNS[h] === 'name') || !headers.some((h) => COLUMNS[h] === 'price')) {
    errors.push({ line: 1, field: '(header)', message: 'the first line must name the columns; sku, name and price are required' });
    return { rows: [], errors, ignoredColumns };
  }
  const rows: CsvRow[] = [];
  const seen = new Map<string, number>();
  records.forEach(({ record, line }) => {
    const draft: Record<string, unknown> = {};
    const rowErrors: CsvRowError[] = [];
    for (const [header, raw] of Object.entries(record)) {
      const field = COLUMNS[header];
      if (!field || raw === undefined) continue;
      const value = String(raw).trim();
      if (field === 'price' || field === 'original_price') {
        if (value === '') {
          if (field === 'price') rowErrors.push({ line, field: 'price', message: 'must not be empty' });
          continue;
        }
        const minor = parseMoney(value, currency);
        if (minor === null) rowErrors.push({ line, field, message: `"${value}" is not an amount in ${currency}` });
        else draft[field === 'price' ? 'priceMinor' : 'originalPriceMinor'] = minor;
      } else if (field === 'stock') {
        if (value === '') draft.stock = null;
        else if (/^\d+$/.test(value)) draft.stock = Number(value);
        else rowErrors.push({ line, field: 'stock', message: `"${value}" is not a whole number (leave it empty for unlimited)` });
      } else if (value !== '') {
        draft[field] = value;
      }
    }
    if (rowErrors.length === 0) {
      const r = ProductInputSchema.safeParse(draft);
      if (!r.success) for (const issue of fieldIssues(r.error)) rowErrors.push({ line, ...issue });
      else {
        const first = seen.get(r.data.sku);
        if (first !== undefined) rowErrors.push({ line, field: 'sku', message: `SKU "${r.data.sku}" is already on line ${first}` });
        else {
          seen.set(r.data.sku, line);
          rows.push({ line, product: r.data });
        }
      }
    }
    errors.push(...rowErrors);
  });
  return { rows, errors, ignoredColumns };
}
