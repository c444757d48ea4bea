import { useState } from 'preact/hooks';
import { ProductChangesSchema, ProductInputSchema, productIssue, type Product, type ProductInput } from '../../shared/domain';
import { decimalMarkOf, minorToDecimal, parseAmount, type DecimalMark } from '../../shared/money';
import type { ConsoleState } from '../ui/console-state';
import type { MessageKey, Translate } from '../ui/i18n';
import { amountExamples, moneyErrorText, PRODUCT_ISSUE_KEYS } from '../ui/input-errors';

const FIELDS = ['sku', 'name', 'price', 'originalPrice', 'unit', 'stock', 'imageUrl', 'origin', 'tagline', 'obsScene'] as const;
type Field = (typeof FIELDS)[number];
type Draft = Record<Field, string>;

/** Schema field → form field, for relay/zod issues. */
const FROM_SCHEMA: Record<string, Field> = { priceMinor: 'price', originalPriceMinor: 'originalPrice' };

/** Prices are shown and typed with the console language's decimal mark ("59,90" in French). */
function draftOf(p: Product | null, currency: string, mark: DecimalMark): Draft {
  if (!p) return { sku: '', name: '', price: '', originalPrice: '', unit: '', stock: '', imageUrl: '', origin: '', tagline: '', obsScene: '' };
  return {
    sku: p.sku,
    name: p.name,
    price: minorToDecimal(p.priceMinor, currency, mark),
    originalPrice: p.originalPriceMinor === null ? '' : minorToDecimal(p.originalPriceMinor, currency, mark),
    unit: p.unit,
    stock: p.stock === null ? '' : String(p.stock),
    imageUrl: p.imageUrl ?? '',
    origin: p.origin,
    tagline: p.tagline,
    obsScene: p.obsScene ?? '',
  };
}

/** Form text → ProductInput, with the same schema the relay uses, and per-field errors. */
export function readProductForm(
  d: Draft,
  currency: string,
  t: Translate,
  mark: DecimalMark = '.',
): { ok: true; input: ProductInput } | { ok: false; errors: Partial<Record<Field, string>> } {
  const errors: Partial<Record<Field, string>> = {};
  const money = (f: 'price' | 'originalPrice'): number | null => {
    const r = parseAmount(d[f], currency, mark);
    if (r.ok) return r.minor;
    errors[f] = moneyErrorText(r.error, t, { currency, mark, value: d[f] });
    return null;
  };
  const priceMinor = money('price');
  const originalPriceMinor = d.originalPrice.trim() === '' ? null : money('originalPrice');
  let stock: number | null = null;
  if (d.stock.trim() !== '') {
    if (/^\d+$/.test(d.stock.trim())) stock = Number(d.stock.trim());
    else errors.stock = t('error.stock');
  }
  const raw: Record<string, unknown> = { sku: d.sku, name: d.name, priceMinor: priceMinor ?? 0, originalPriceMinor, stock };
  for (const f of ['unit', 'origin', 'tagline'] as const) if (d[f].trim() !== '') raw[f] = d[f];
  raw.imageUrl = d.imageUrl.trim() === '' ? null : d.imageUrl.trim();
  raw.obsScene = d.obsScene.trim() === '' ? null : d.obsScene.trim();
  const r = ProductInputSchema.safeParse(raw);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const key = String(issue.path[0] ?? '');
      const f = (FROM_SCHEMA[key] ?? key) as Field;
      if (FIELDS.includes(f) && !errors[f]) {
        // The schema's own messages are English, for the API: the code is worded here.
        const { code, params } = productIssue(issue);
        errors[f] = t(PRODUCT_ISSUE_KEYS[code], params);
      }
    }
  }
  if (Object.keys(errors).length > 0 || !r.success) return { ok: false, errors };
  return { ok: true, input: r.data };
}

export function ProductForm({ s, product, onDone }: { s: ConsoleState; product: Product | null; onDone: () => void }) {
  const t = s.t.value;
  const state = s.room.value;
  const currency = state?.room.currency ?? 'CNY';
  const mark = decimalMarkOf(s.locale.value);
  const [draft, setDraft] = useState<Draft>(() => draftOf(product, currency, mark));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const idp = product ? `edit-${product.id}` : 'add';

  async function submit(e: Event) {
    e.preventDefault();
    const r = readProductForm(draft, currency, t, mark);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    if (!product) {
      const sent = await s.command({ type: 'product.add', product: r.input });
      if (sent.ok) onDone();
      return;
    }
    const { stock, ...rest } = r.input;
    const changes: Record<string, unknown> = {};
    const before = draftOf(product, currency, mark);
    const current: Record<string, unknown> = { ...product };
    for (const [k, v] of Object.entries(rest)) if (JSON.stringify(current[k] ?? null) !== JSON.stringify(v ?? null)) changes[k] = v;
    if (Object.keys(changes).length > 0) {
      const parsed = ProductChangesSchema.safeParse(changes);
      if (parsed.success) await s.command({ type: 'product.update', productId: product.id, changes: parsed.data });
    }
    if (draft.stock !== before.stock) await s.command({ type: 'stock.set', productId: product.id, stock: stock ?? null });
    onDone();
  }

  const field = (f: Field, extra: { inputMode?: 'decimal' | 'numeric' | 'url'; placeholder?: string } = {}) => {
    const id = `${idp}-${f}`;
    const err = errors[f];
    // The error sits outside the <label> so the field's accessible name stays its label.
    return (
      <div class={`field field-${f}`}>
        <label for={id}>{t(`field.${f}` as MessageKey)}</label>
        <input
          id={id}
          type="text"
          value={draft[f]}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-error` : undefined}
          onInput={(e) => setDraft({ ...draft, [f]: e.currentTarget.value })}
          {...extra}
        />
        {err && (
          <small id={`${id}-error`} class="field-error" role="alert">
            {err}
          </small>
        )}
      </div>
    );
  };

  return (
    <form class="card product-form" data-snapshot="skip" onSubmit={submit} noValidate aria-label={product ? t('editProduct') : t('addProduct')}>
      <h3>{product ? t('editProduct') : t('addProduct')}</h3>
      <div class="grid">
        {field('name')}
        {field('sku')}
        {field('price', { inputMode: 'decimal', placeholder: amountExamples(currency, mark).example })}
        {field('originalPrice', { inputMode: 'decimal' })}
        {field('stock', { inputMode: 'numeric' })}
        {field('unit')}
        {field('origin')}
        {field('tagline')}
        {field('imageUrl', { inputMode: 'url' })}
        {field('obsScene')}
      </div>
      <div class="row">
        <button type="submit" class="primary">
          {product ? t('save') : t('addProduct')}
        </button>
        <button type="button" class="quiet" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
