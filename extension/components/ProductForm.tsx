/**
 * The product form (lazy-loaded: it brings zod). Its fields come from the product field table
 * (shared/product-fields.ts): how each is shown, typed and read; FORM_ORDER is where each sits.
 */
import { useState } from 'preact/hooks';
import { ProductChangesSchema, ProductInputSchema, productIssue, type Product, type ProductInput } from '../../shared/domain';
import { decimalMarkOf, minorToDecimal, parseAmount, type DecimalMark } from '../../shared/money';
import { PRODUCT_FIELD_META, PRODUCT_FIELDS, type ProductField, type ProductFormName } from '../../shared/product-fields';
import type { ConsoleState } from '../ui/console-state';
import type { Translate } from '../ui/i18n';
import { amountExamples, moneyErrorText, PRODUCT_ISSUE_KEYS } from '../ui/input-errors';

type Field = ProductFormName;
type Draft = Record<Field, string>;

/** Where each field sits on screen, in the form's grid. */
const FORM_ORDER: readonly ProductField[] = [
  'name', 'sku', 'priceMinor', 'originalPriceMinor', 'stock', 'unit', 'netWeightGrams', 'grade', 'origin', 'producer', 'harvestDate', 'tagline', 'imageUrl', 'traceUrl', 'obsScene',
];

const INPUT_MODE = { text: undefined, money: 'decimal', stock: 'numeric', whole: 'numeric', url: 'url', date: undefined } as const;

/** Prices are shown and typed with the console language's decimal mark ("59,90" in French). */
function draftOf(p: Product | null, currency: string, mark: DecimalMark): Draft {
  const draft = {} as Draft;
  for (const f of PRODUCT_FIELDS) {
    const { form } = PRODUCT_FIELD_META[f];
    const value = p?.[f] ?? null;
    draft[form.name] = value === null ? '' : form.control === 'money' ? minorToDecimal(value as number, currency, mark) : String(value);
  }
  return draft;
}

/** Form text → ProductInput, with the same schema the relay uses, and per-field errors. */
export function readProductForm(
  d: Draft,
  currency: string,
  t: Translate,
  mark: DecimalMark = '.',
): { ok: true; input: ProductInput } | { ok: false; errors: Partial<Record<Field, string>> } {
  const errors: Partial<Record<Field, string>> = {};
  const raw: Record<string, unknown> = {};
  for (const f of PRODUCT_FIELDS) {
    const { blank, form } = PRODUCT_FIELD_META[f];
    const typed = d[form.name];
    const empty = typed.trim() === '';
    if (form.control === 'money') {
      // A refused price still goes to the schema (as 0) so the other fields' errors show too.
      if (empty && blank !== 'required') raw[f] = blank;
      else {
        const r = parseAmount(typed, currency, mark);
        if (!r.ok) errors[form.name] = moneyErrorText(r.error, t, { currency, mark, value: typed });
        raw[f] = r.ok ? r.minor : blank === 'required' ? 0 : null;
      }
    } else if (form.control === 'stock' || form.control === 'whole') {
      raw[f] = null;
      if (!empty) {
        if (/^\d+$/.test(typed.trim())) raw[f] = Number(typed.trim());
        else errors[form.name] = t(form.control === 'stock' ? 'error.stock' : 'error.wholeNumber');
      }
    } else if (blank === 'required') raw[f] = typed;
    else if (blank === null) raw[f] = empty ? null : typed.trim();
    else if (!empty) raw[f] = typed;
  }
  const r = ProductInputSchema.safeParse(raw);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const key = String(issue.path[0] ?? '');
      const f = Object.hasOwn(PRODUCT_FIELD_META, key) ? PRODUCT_FIELD_META[key as ProductField].form.name : undefined;
      if (f && !errors[f]) {
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
    const changes: Record<string, unknown> = {};
    const before = draftOf(product, currency, mark);
    const current: Record<string, unknown> = { ...product };
    for (const [k, v] of Object.entries(r.input)) {
      if (PRODUCT_FIELD_META[k as ProductField].update && JSON.stringify(current[k] ?? null) !== JSON.stringify(v ?? null)) changes[k] = v;
    }
    if (Object.keys(changes).length > 0) {
      const parsed = ProductChangesSchema.safeParse(changes);
      if (parsed.success) await s.command({ type: 'product.update', productId: product.id, changes: parsed.data });
    }
    // Stock is not a product.update change: stock.set owns it.
    if (draft.stock !== before.stock) await s.command({ type: 'stock.set', productId: product.id, stock: r.input.stock ?? null });
    onDone();
  }

  const field = (name: ProductField) => {
    const { form } = PRODUCT_FIELD_META[name];
    const f = form.name;
    const id = `${idp}-${f}`;
    const err = errors[f];
    const hint: string | undefined = 'placeholder' in form ? form.placeholder : undefined;
    const placeholder = hint === 'amountExample' ? amountExamples(currency, mark).example : hint === 'dateExample' ? t('field.dateExample') : undefined;
    // The error sits outside the <label> so the field's accessible name stays its label.
    return (
      <div class={`field field-${f}`} key={f}>
        <label for={id}>{t(form.label)}</label>
        <input
          id={id}
          type="text"
          value={draft[f]}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-error` : undefined}
          onInput={(e) => setDraft({ ...draft, [f]: e.currentTarget.value })}
          {...(INPUT_MODE[form.control] && { inputMode: INPUT_MODE[form.control] })}
          {...(placeholder !== undefined && { placeholder })}
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
        {FORM_ORDER.map(field)}
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
