/**
 * Issue 14: text fields refuse what cannot be seen. A product name, SKU, unit, origin,
 * tagline or OBS scene, a ticker message, a countdown label or a room title of only
 * zero-width, control or space characters is refused with the field named; what was refused
 * before (an empty or spaces-only required field) keeps its message; visible text that
 * merely contains a zero-width joiner (an emoji family, a Persian word) still passes.
 */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../shared/commands.js';
import { ProductInputSchema, productIssue, RoomInfoSchema } from '../../shared/domain.js';
import { INVISIBLE_MESSAGE } from '../../shared/values.js';
import { PRODUCT_ISSUE_KEYS } from '../../extension/ui/input-errors.js';
import { LOCALES, translator } from '../../extension/ui/i18n.js';

const INVISIBLE = ['\u200b', '\u200b\u200c\u200d', '\u2060\ufeff', '\u0000', '\u0007\u001b', ' \u200b ', '\u202e', '\u3164', '\ud800', '\ufe0f'];
const product = { sku: 'POM', name: '芦柑', priceMinor: 5990 };

/** Each text field as a command carries it, and the field its refusal names. */
const FIELDS: { field: string; command: (value: string) => Record<string, unknown> }[] = [
  { field: 'product.name', command: (v) => ({ type: 'product.add', product: { ...product, name: v } }) },
  { field: 'product.sku', command: (v) => ({ type: 'product.add', product: { ...product, sku: v } }) },
  { field: 'product.unit', command: (v) => ({ type: 'product.add', product: { ...product, unit: v } }) },
  { field: 'product.origin', command: (v) => ({ type: 'product.add', product: { ...product, origin: v } }) },
  { field: 'product.tagline', command: (v) => ({ type: 'product.add', product: { ...product, tagline: v } }) },
  { field: 'product.obsScene', command: (v) => ({ type: 'product.add', product: { ...product, obsScene: v } }) },
  { field: 'changes.name', command: (v) => ({ type: 'product.update', productId: 'p1', changes: { name: v } }) },
  { field: 'text', command: (v) => ({ type: 'ticker.push', text: v }) },
  { field: 'label', command: (v) => ({ type: 'countdown.start', seconds: 60, label: v }) },
  { field: 'changes.title', command: (v) => ({ type: 'room.update', changes: { title: v } }) },
];

const parse = (raw: Record<string, unknown>) => parseCommand({ id: 'c1', ...raw });

describe('text of only invisible characters', () => {
  for (const { field, command } of FIELDS) {
    it(`is refused in ${field}, with the field named`, () => {
      for (const value of INVISIBLE) {
        const r = parse(command(value));
        expect(r.ok, `${field} = ${JSON.stringify(value)}`).toBe(false);
        if (!r.ok) expect(r.issues[0], JSON.stringify(value)).toEqual({ field, message: INVISIBLE_MESSAGE });
      }
    });
  }

  it('is refused as a room title when a room is created', () => {
    const r = RoomInfoSchema.partial().safeParse({ title: '\u200b\u200b' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['title'], message: INVISIBLE_MESSAGE });
  });

  it('keeps the old message for an empty or spaces-only required field, and a blank optional one still means none', () => {
    for (const v of ['', '   ', '\t\n']) {
      const name = parse(FIELDS[0]!.command(v));
      expect(name.ok || name.issues).toEqual([{ field: 'product.name', message: 'must not be empty' }]);
      const ticker = parse({ type: 'ticker.push', text: v });
      expect(ticker.ok || ticker.issues).toEqual([{ field: 'text', message: 'must not be empty' }]);
      expect(parse({ type: 'countdown.start', seconds: 60, label: v }).ok).toBe(true);
      expect(parse({ type: 'product.add', product: { ...product, tagline: v } }).ok).toBe(true);
    }
  });

  it('lets visible text through, zero-width joiners and marks inside it included', () => {
    for (const v of ['👩\u200d👧', 'می\u200cخواهم', 'a\u200bb', '\u200b石榴', 'e\u0301', '❤\ufe0f']) {
      for (const { field, command } of FIELDS) {
        if (field === 'product.sku' && /\s/u.test(v)) continue;
        expect(parse(command(v)).ok, `${field} = ${JSON.stringify(v)}`).toBe(true);
      }
    }
  });

  it('is worded by the product form and the CSV import in every language', () => {
    const r = ProductInputSchema.safeParse({ ...product, name: '\u200b' });
    expect(r.success).toBe(false);
    const issue = productIssue(r.error!.issues[0]!);
    expect(issue).toEqual({ field: 'name', code: 'invisible', params: {} });
    // The image URL's refinement is still worded as a URL problem.
    expect(productIssue(ProductInputSchema.safeParse({ ...product, imageUrl: 'ftp://x' }).error!.issues[0]!).code).toBe('url');
    const texts = LOCALES.map((l) => translator(l)(PRODUCT_ISSUE_KEYS.invisible));
    expect(new Set(texts).size).toBe(LOCALES.length);
    for (const t of texts) expect(t).not.toMatch(/^error\./);
  });
});
