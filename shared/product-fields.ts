/**
 * The product field table: one entry per field a host gives a product — what a blank value
 * means (and so the field's value in a new product), whether product.update may change it,
 * its CSV column (header aliases as hosts' spreadsheets spell them in zh-CN, en and fr, and
 * how a cell is read), its control in the product form, and how it is normalised. product.add
 * and product.update (newProduct, withChanges), the CSV import's columns, the product form's
 * fields and the labels of the console's error texts are all derived from it.
 *
 * zod-free on purpose: the side panel's first bundle (extension/ui/input-errors.ts) reads the
 * labels from here, and zod loads only with the lazy product form. Each field's schemas (the
 * input schema product.add validates, the value the room holds) are in
 * shared/product-schema.ts, in a table of the same keys that does not compile until it has
 * every field of this one.
 *
 * Adding a product field (say `variety`; the farm fields netWeightGrams…traceUrl were added so):
 * 1. an entry here (blank, update, csv, form) and its two schemas in PRODUCT_FIELD_SCHEMAS
 *    (shared/product-schema.ts); Product, ProductInput, ProductChanges, product.add/update,
 *    the CSV columns and the form's reading of it follow;
 * 2. its translations: the form label (`field.variety`) in shared/i18n/<locale>/console.ts, every locale;
 * 3. its place on screen: FORM_ORDER in extension/components/ProductForm.tsx, and wherever the
 *    card (overlay/page) or the queue should show it.
 * Saved rooms need nothing: a product row written before the field existed reads as its blank
 * value (withBlanks; a new `required` field, which has none, needs a migration in
 * overlay/relay/stored-room.ts).
 */
import type { Product, ProductChanges, ProductInput } from './product-schema.js';

/**
 * How a CSV cell is read (catalog-csv.ts), exactly as hosts' files were always read:
 * `text` as typed, trimmed; `money` an amount in major units ("59.90") into minor units in the
 * file's decimal convention; `count` a whole number, blank = unlimited (null); `whole` a whole
 * number, blank = none (null), refused with its own words (a weight is not "unlimited").
 */
export type CsvKind = 'text' | 'money' | 'count' | 'whole';
/**
 * The form control: a text box, an amount in the console's decimal convention, a stock count
 * (empty = unlimited), a whole number (empty = none: a net weight), a URL, a date (YYYY-MM-DD).
 */
export type FormControl = 'text' | 'money' | 'stock' | 'whole' | 'url' | 'date';

export interface ProductFieldMeta {
  /** A blank value: `required` refused; `''` or `null` the value a new product holds when it is left out. */
  blank: 'required' | '' | null;
  /** product.update may change it (stock may not: stock.set owns it, and a restock clears a sold-out mark). */
  update: boolean;
  /** `''` given for this field is stored as null ("no scene" is one value, not two). */
  emptyIsNull?: true;
  csv: {
    /** The field's name in a CSV row error (the console words it with the form label). */
    column: string;
    /** Header spellings, lower-cased with spaces and dashes as underscores (catalog-csv normalizeHeader). */
    aliases: readonly string[];
    kind: CsvKind;
  };
  form: {
    /** The form field's name: its element id, CSS class and draft key (tests and styles use them). */
    name: string;
    control: FormControl;
    /** Message key of its label (shared/i18n/<locale>/console.ts). */
    label: string;
    /** The label in an error text, when the form's label carries a hint ("Stock (empty = unlimited)"). */
    shortLabel?: string;
    /** What the placeholder shows: an example amount in the console's decimal convention, or the date format. */
    placeholder?: 'amountExample' | 'dateExample';
  };
}

export const PRODUCT_FIELD_META = {
  sku: {
    blank: 'required',
    update: true,
    csv: { column: 'sku', aliases: ['sku', '商品编码', '货号'], kind: 'text' },
    form: { name: 'sku', control: 'text', label: 'field.sku' },
  },
  name: {
    blank: 'required',
    update: true,
    csv: { column: 'name', aliases: ['name', '商品名称', '名称', 'nom'], kind: 'text' },
    form: { name: 'name', control: 'text', label: 'field.name' },
  },
  priceMinor: {
    blank: 'required',
    update: true,
    csv: { column: 'price', aliases: ['price', '价格', '售价', 'prix'], kind: 'money' },
    form: { name: 'price', control: 'money', label: 'field.price', placeholder: 'amountExample' },
  },
  originalPriceMinor: {
    blank: null,
    update: true,
    csv: { column: 'original_price', aliases: ['original_price', '原价', 'prix_barre'], kind: 'money' },
    form: { name: 'originalPrice', control: 'money', label: 'field.originalPrice' },
  },
  unit: {
    blank: '',
    update: true,
    csv: { column: 'unit', aliases: ['unit', '规格', '单位', 'unite'], kind: 'text' },
    form: { name: 'unit', control: 'text', label: 'field.unit' },
  },
  stock: {
    blank: null,
    update: false,
    csv: { column: 'stock', aliases: ['stock', '库存'], kind: 'count' },
    form: { name: 'stock', control: 'stock', label: 'field.stock', shortLabel: 'field.stockShort' },
  },
  imageUrl: {
    blank: null,
    update: true,
    csv: { column: 'imageUrl', aliases: ['image_url', 'image', '图片'], kind: 'text' },
    form: { name: 'imageUrl', control: 'url', label: 'field.imageUrl' },
  },
  origin: {
    blank: '',
    update: true,
    csv: { column: 'origin', aliases: ['origin', '产地', 'origine'], kind: 'text' },
    form: { name: 'origin', control: 'text', label: 'field.origin' },
  },
  tagline: {
    blank: '',
    update: true,
    csv: { column: 'tagline', aliases: ['tagline', '卖点', 'slogan'], kind: 'text' },
    form: { name: 'tagline', control: 'text', label: 'field.tagline' },
  },
  obsScene: {
    blank: null,
    update: true,
    emptyIsNull: true,
    csv: { column: 'obsScene', aliases: ['obs_scene', 'scene', '场景'], kind: 'text' },
    form: { name: 'obsScene', control: 'text', label: 'field.obsScene' },
  },
  // Farm goods (issue 17): what viewers ask (how big, how fresh, from where) and officials report (tonnes).
  netWeightGrams: {
    blank: null,
    update: true,
    csv: { column: 'net_weight', aliases: ['net_weight_(g)', 'net_weight', '净重(克)', '净重（克）', '净重', 'poids_net_(g)', 'poids_net'], kind: 'whole' },
    form: { name: 'netWeight', control: 'whole', label: 'field.netWeightGrams', shortLabel: 'field.netWeightShort' },
  },
  grade: {
    blank: '',
    update: true,
    csv: { column: 'grade', aliases: ['grade', '等级', 'calibre', 'catégorie', 'categorie'], kind: 'text' },
    form: { name: 'grade', control: 'text', label: 'field.grade' },
  },
  harvestDate: {
    blank: null,
    update: true,
    emptyIsNull: true,
    csv: { column: 'harvest_date', aliases: ['harvest_date', '采摘日期', 'date_de_récolte', 'date_de_recolte', 'récolte', 'recolte'], kind: 'text' },
    form: { name: 'harvestDate', control: 'date', label: 'field.harvestDate', placeholder: 'dateExample' },
  },
  producer: {
    blank: '',
    update: true,
    csv: { column: 'producer', aliases: ['producer', '生产者', 'producteur'], kind: 'text' },
    form: { name: 'producer', control: 'text', label: 'field.producer' },
  },
  traceUrl: {
    blank: null,
    update: true,
    emptyIsNull: true,
    csv: { column: 'trace_url', aliases: ['trace_url', '溯源链接', 'lien_de_traçabilité', 'lien_de_tracabilite', 'traçabilité', 'tracabilite'], kind: 'text' },
    form: { name: 'traceUrl', control: 'url', label: 'field.traceUrl' },
  },
} as const satisfies Record<string, ProductFieldMeta>;

export type ProductField = keyof typeof PRODUCT_FIELD_META;
/** The fields in table order: the order of a product's keys, as stored and sent. */
export const PRODUCT_FIELDS = Object.keys(PRODUCT_FIELD_META) as ProductField[];
export type UpdatableField = { [K in ProductField]: (typeof PRODUCT_FIELD_META)[K]['update'] extends true ? K : never }[ProductField];
export type ProductFormName = (typeof PRODUCT_FIELD_META)[ProductField]['form']['name'];

type FormMeta = (typeof PRODUCT_FIELD_META)[ProductField]['form'];
/** Every message key the table names (the console's t() takes only keys it has: a missing translation does not compile). */
export type FieldLabelKey = FormMeta['label'] | Extract<FormMeta, { shortLabel: string }>['shortLabel'];

/** The message key naming a field in an error text. */
export function fieldErrorLabel(f: ProductField): FieldLabelKey {
  const form: { label: string; shortLabel?: string } = PRODUCT_FIELD_META[f].form;
  return (form.shortLabel ?? form.label) as FieldLabelKey;
}

const metaOf = (f: ProductField): ProductFieldMeta => PRODUCT_FIELD_META[f];

function normalised(f: ProductField, value: unknown): unknown {
  return metaOf(f).emptyIsNull && value === '' ? null : value;
}

/** product.add's product: every field as given or its blank value, no sales yet. */
export function newProduct(id: string, input: ProductInput): Product {
  const product: Record<string, unknown> = { id };
  for (const f of PRODUCT_FIELDS) {
    const given = input[f];
    const blank = metaOf(f).blank;
    product[f] = normalised(f, given === undefined && blank !== 'required' ? blank : given);
  }
  const stock = product.stock as Product['stock'];
  Object.assign(product, { sold: 0, revenueMinor: 0, soldOutManual: false, soldOut: stock === 0, presale: null });
  return product as unknown as Product;
}

/** product.update's product: the fields product.update may change, as given; the rest as they were. */
export function withChanges(product: Product, changes: ProductChanges): Product {
  const next: Record<string, unknown> = { ...product };
  for (const f of PRODUCT_FIELDS) {
    const value = (changes as Partial<Record<ProductField, unknown>>)[f];
    if (value !== undefined && metaOf(f).update) next[f] = normalised(f, value);
  }
  return next as unknown as Product;
}

/** A stored product row with the fields it lacks (added after it was written) at their blank value. */
export function withBlanks(row: Record<string, unknown>): Record<string, unknown> {
  let out = row;
  for (const f of PRODUCT_FIELDS) {
    const blank = metaOf(f).blank;
    if (blank !== 'required' && !Object.hasOwn(out, f)) out = { ...out, [f]: blank };
  }
  return out;
}

/** CSV column (as a row error names it) → field, and every header spelling → its field. */
export const FIELD_OF_CSV_COLUMN: Readonly<Record<string, ProductField>> = Object.fromEntries(PRODUCT_FIELDS.map((f) => [metaOf(f).csv.column, f]));
export const FIELD_OF_CSV_HEADER: Readonly<Record<string, ProductField>> = Object.fromEntries(PRODUCT_FIELDS.flatMap((f) => metaOf(f).csv.aliases.map((a) => [a, f])));
