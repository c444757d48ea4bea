import { useState } from 'preact/hooks';
import { ProductChangesSchema, ProductInputSchema, type Product, type ProductInput } from '../../shared/domain';
import { minorToDecimal, parseMoney } from '../../shared/money';
import type { ConsoleState } from '../lib/console-state';
import type { z } from 'zod';
import type { MessageKey, Translate } from '../lib/i18n';

const FIELDS = ['sku', 'name', 'price', 'originalPrice', 'unit', 'stock', 'imageUrl', 'origin', 'tagline', 'obsScene'] as const;
type Field = (typeof FIELDS)[number];
type Draft = Record<Field, string>;

/** Schema field → form field, for relay/zod issues. */
const FROM_SCHEMA: Record<string, Field> = { priceMinor: 'price', originalPriceMinor: 'originalPrice' };

function draftOf(p: Product | null, currency: string): Draft {
  if (!p) return { sku: '', name: '', price: '', originalPrice: '', unit: '', stock: '', imageUrl: '', origin: '', tagline: '', obsScene: '' };
  return {
    sku: p.sku,
    name: p.name,
    price: minorToDecimal(p.priceMinor, currency),
    originalPrice: p.originalPriceMinor === null ? '' : minorToDecimal(p.originalPriceMinor, currency),
    unit: p.unit,
    stock: p.stock === null ? '' : String(p.stock),
    imageUrl: p.imageUrl ?? '',
    origin: p.origin,
    tagline: p.tagline,
    obsScene: p.obsScene ?? '',
  };
}

/**
 * A schema issue in the host's words (the schema's own messages are English, for the API).
 * ProductInputSchema's text fields have a minimum of 1 and a maximum length, the SKU one pattern
 * (no spaces), the image URL one refinement (http/https); numbers are parsed by the form first.
 */
function issueText(issue: z.core.$ZodIssue, t: Translate): string {
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' ? t('error.required') : t('error.invalidValue');
    case 'too_big':
      return issue.origin === 'string' ? t('error.tooLong', { max: Number(issue.maximum) }) : t('error.tooLarge');
    case 'invalid_format':
      return t('error.noSpaces');
    case 'custom':
      return t('error.url');
    default:
      return t('error.invalidValue');
  }
}

/** Form text → ProductInput, with the same schema the relay uses, and per-field errors. */
export function readProductForm(d: Draft, currency: string, t: Translate): { ok: true; input: ProductInput } | { ok: false; errors: Partial<Record<Field, string>> } {
  const errors: Partial<Record<Field, string>> = {};
  const priceMinor = parseMoney(d.price, currency);
  if (priceMinor === null) errors.price = t('error.price');
  let originalPriceMinor: number | null = null;
  if (d.originalPrice.trim() !== '') {
    originalPriceMinor = parseMoney(d.originalPrice, currency);
    if (originalPriceMinor === null) errors.originalPrice = t('error.price');
  }
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
      if (FIELDS.includes(f) && !errors[f]) errors[f] = issueText(issue, t);
    }
  }
  if (Object.keys(errors).length > 0 || !r.success) return { ok: false, errors };
  return { ok: true, input: r.data };
}

export function ProductForm({ s, product, onDone }: { s: ConsoleState; product: Product | null; onDone: () => void }) {
  const t = s.t.value;
  const state = s.room.value;
  const currency = state?.room.currency ?? 'CNY';
  const [draft, setDraft] = useState<Draft>(() => draftOf(product, currency));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const idp = product ? `edit-${product.id}` : 'add';

  async function submit(e: Event) {
    e.preventDefault();
    const r = readProductForm(draft, currency, t);
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
    const before = draftOf(product, currency);
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
    <form class="card product-form" onSubmit={submit} noValidate aria-label={product ? t('editProduct') : t('addProduct')}>
      <h3>{product ? t('editProduct') : t('addProduct')}</h3>
      <div class="grid">
        {field('name')}
        {field('sku')}
        {field('price', { inputMode: 'decimal', placeholder: '59.90' })}
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
