/**
 * The product form's own checks (extension/components/ProductForm.tsx readProductForm): the
 * same schema as the relay, but the errors in the host's language, not the schema's English.
 */
import { describe, expect, it } from 'vitest';
import { readProductForm } from '../../extension/components/ProductForm';
import { LOCALES, translator } from '../../extension/ui/i18n';

const blank = { sku: '', name: '', price: '', originalPrice: '', unit: '', stock: '', imageUrl: '', origin: '', tagline: '', obsScene: '', netWeight: '', grade: '', harvestDate: '', producer: '', traceUrl: '' };

describe('product form errors', () => {
  it('says in French what to fix in each field', () => {
    const r = readProductForm(
      { ...blank, sku: 'YS POM', name: '', price: '1.299,00', stock: '1.5', tagline: 'x'.repeat(141), imageUrl: 'ftp://img' },
      'EUR',
      translator('fr'),
      ',',
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        sku: 'Retirez les espaces',
        name: 'Remplissez ce champ',
        price: 'Montant peu clair : virgule pour les décimales, espace pour les milliers, comme 59,90 ou 1\u202f299,00',
        stock: 'Tapez un nombre entier, ou laissez vide pour illimité',
        tagline: '140 caractères au plus : raccourcissez',
        imageUrl: 'Tapez une adresse web commençant par http:// ou https://',
      },
    });
  });

  it('never shows the schema’s English message in zh-CN or fr', () => {
    for (const l of LOCALES.filter((x) => x !== 'en')) {
      const r = readProductForm({ ...blank, sku: 'A B', price: '1', origin: 'y'.repeat(81), stock: '9999999999' }, 'CNY', translator(l));
      expect(r.ok).toBe(false);
      const texts = Object.values(r.ok ? {} : r.errors);
      expect(texts.length).toBeGreaterThanOrEqual(3);
      for (const text of texts) expect(text, l).not.toMatch(/must|is too large|characters/);
    }
  });

  it('reads a valid form into the relay’s product input', () => {
    const r = readProductForm({ ...blank, sku: 'LC-GIFT', name: '洛川苹果礼盒', price: '59.90', stock: '50' }, 'CNY', translator('en'));
    expect(r).toMatchObject({ ok: true, input: { sku: 'LC-GIFT', name: '洛川苹果礼盒', priceMinor: 5990, stock: 50 } });
  });

  it('reads the farm fields (issue 17) and words their errors in the host’s language', () => {
    const farm = { ...blank, sku: 'YS-POM', name: '会理石榴', price: '69.90', netWeight: '5000', grade: '特级', harvestDate: '2026-09-12', producer: '合作社', traceUrl: 'https://t.example/ys' };
    expect(readProductForm(farm, 'CNY', translator('zh-CN'))).toMatchObject({
      ok: true,
      input: { netWeightGrams: 5000, grade: '特级', harvestDate: '2026-09-12', producer: '合作社', traceUrl: 'https://t.example/ys' },
    });
    expect(readProductForm({ ...farm, netWeight: '', harvestDate: '', traceUrl: '' }, 'CNY', translator('en'))).toMatchObject({ ok: true, input: { netWeightGrams: null, harvestDate: null, traceUrl: null } });
    const bad = { ...farm, netWeight: '5 kg', harvestDate: '2026-02-30', traceUrl: 'trace.example', grade: 'x'.repeat(21), producer: 'y'.repeat(61) };
    expect(readProductForm(bad, 'CNY', translator('zh-CN'))).toEqual({
      ok: false,
      errors: {
        netWeight: '请输入整数克数（5 公斤一箱填 5000），或留空',
        harvestDate: '请输入真实日期，格式为 YYYY-MM-DD，例如 2026-09-12',
        traceUrl: expect.any(String),
        grade: expect.stringContaining('20'),
        producer: expect.stringContaining('60'),
      },
    });
    expect(readProductForm(bad, 'CNY', translator('en'))).toMatchObject({ ok: false, errors: { harvestDate: 'Type a real date as YYYY-MM-DD, like 2026-09-12' } });
  });
});
