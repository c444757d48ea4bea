/**
 * The product form's own checks (extension/components/ProductForm.tsx readProductForm): the
 * same schema as the relay, but the errors in the host's language, not the schema's English.
 */
import { describe, expect, it } from 'vitest';
import { readProductForm } from '../../extension/components/ProductForm';
import { LOCALES, translator } from '../../extension/ui/i18n';

const blank = { sku: '', name: '', price: '', originalPrice: '', unit: '', stock: '', imageUrl: '', origin: '', tagline: '', obsScene: '' };

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
});
