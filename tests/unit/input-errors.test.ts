/**
 * What the host typed or pasted that the console refused, in zh-CN, en and fr
 * (extension/ui/input-errors.ts): every code shared/ can return has a text in every language,
 * and no built-in text is missing in a language or left in English in the UI's source.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogCsv, type CsvRowError } from '../../shared/catalog-csv.js';
import { type MoneyError } from '../../shared/money.js';
import { overlayLink, parsePairingLink } from '../../shared/pairing.js';
import { LOCALES, MESSAGES, translator, type Locale, type MessageKey } from '../../extension/ui/i18n';
import { CSV_ERROR_CODES, csvRowText, moneyErrorText, PAIRING_ERROR_KEYS, pairingErrorText, type ConsolePairingErrorCode } from '../../extension/ui/input-errors';
import { readProductForm } from '../../extension/components/ProductForm';

const ROOT = join(import.meta.dirname, '../..');
const t = (l: Locale) => translator(l);
const CJK = /[\u4e00-\u9fff]/;

/** A text is really in that language: no {param} left, Chinese in zh-CN, not the English copy in fr. */
function expectTranslated(texts: Record<Locale, string>, what: string) {
  for (const l of LOCALES) {
    expect(texts[l].trim(), `${what} ${l}`).not.toBe('');
    expect(texts[l], `${what} ${l}: a {param} left`).not.toMatch(/\{\w+\}/);
  }
  expect(texts['zh-CN'], `${what} zh-CN`).toMatch(CJK);
  expect(texts.fr, `${what} fr`).not.toBe(texts.en);
  expect(texts['zh-CN'], `${what} zh-CN`).not.toBe(texts.en);
}
const inAll = (text: (l: Locale) => string) => Object.fromEntries(LOCALES.map((l) => [l, text(l)])) as Record<Locale, string>;

describe('pairing link errors in zh-CN, en and fr', () => {
  /** The shared parse's codes, read from its source so that a new code fails here until it has a text. */
  const sharedCodes = [...readFileSync(join(ROOT, 'shared/pairing.ts'), 'utf8').match(/export type PairingErrorCode =([^;]+);/)![1]!.matchAll(/'(\w+)'/g)].map((m) => m[1]!);

  it('has a text for every code shared/pairing.ts returns, and for the sales link', () => {
    expect(sharedCodes.length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(PAIRING_ERROR_KEYS).sort()).toEqual([...sharedCodes, 'sales_link'].sort());
    for (const code of Object.keys(PAIRING_ERROR_KEYS) as ConsolePairingErrorCode[]) {
      expectTranslated(inAll((l) => pairingErrorText({ code, params: { role: 'admin' } }, t(l))), code);
    }
  });

  it.each([
    ['an overlay link', overlayLink('http://127.0.0.1:4600', 'r1', 'tok'), 'This is the overlay link, not a pairing link', '这是画面链接，不是配对链接', 'C’est le lien de l’overlay, pas un lien d’appairage'],
    ['plain text', '你好', 'This is not a link.', '这不是链接。', 'Ce n’est pas un lien.'],
    ['an unknown role', 'http://127.0.0.1:4600/pair#v=1&room=r&role=admin&token=t', '(“admin”)', '（“admin”）', '(« admin »)'],
  ])('words %s from its code', (_what, pasted, en, zh, fr) => {
    const r = parsePairingLink(pasted);
    if (r.ok) throw new Error('expected a refusal');
    expect(pairingErrorText(r.error, t('en'))).toContain(en);
    expect(pairingErrorText(r.error, t('zh-CN'))).toContain(zh);
    expect(pairingErrorText(r.error, t('fr'))).toContain(fr);
  });

  it('a code this console does not know still says it is not a pairing link', () => {
    expect(pairingErrorText({ code: 'from_the_future', params: {} }, t('zh-CN'))).toBe(MESSAGES['zh-CN']['problem.bad_link']);
    expect(pairingErrorText(undefined, t('fr'))).toBe(MESSAGES.fr['problem.bad_link']);
  });
});

describe('price errors in zh-CN, en and fr', () => {
  const codes: MoneyError[] = ['empty', 'not_amount', 'negative', 'separators', 'ambiguous', 'too_many_decimals', 'too_large'];

  it.each(['CNY', 'JPY', 'KWD'])('has a text for every MoneyError in %s', (currency) => {
    const source = readFileSync(join(ROOT, 'shared/money.ts'), 'utf8').match(/export type MoneyError =([^;]+);/)![1]!;
    expect([...source.matchAll(/'(\w+)'/g)].map((m) => m[1]).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const texts = inAll((l) => moneyErrorText(code, t(l), { currency, mark: l === 'fr' ? ',' : '.', value: '1.299' }));
      for (const l of LOCALES) expect(texts[l], `${code} ${l}`).not.toMatch(/\{\w+\}/);
      expect(texts['zh-CN'], code).toMatch(CJK);
      expect(texts.fr, code).not.toBe(texts.en);
    }
  });

  // [language, typed, currency, field error]
  const form: [Locale, string, string, string][] = [
    ['fr', '12,50,3', 'CNY', 'Montant peu clair : virgule pour les décimales, espace pour les milliers, comme 59,90 ou 1\u202f299,00'],
    ['fr', '1,299', 'CNY', 'Milliers ou décimales ? Tapez 1299, ou le prix avec 2 décimales comme 59,90'],
    ['fr', 'douze', 'CNY', 'Tapez un montant, comme 59,90'],
    ['fr', '12,5', 'JPY', 'JPY n’a pas de décimales : tapez un montant entier comme 5990'],
    ['en', '12,50', 'CNY', 'Unclear amount: use a point for decimals and commas for thousands, like 59.90 or 1,299.00'],
    ['en', '1.299', 'CNY', 'Thousands or decimals? Type 1299, or the price with 2 decimals like 59.90'],
    ['en', '1.2345', 'KWD', 'KWD has 3 decimals at most: type an amount like 5.990'],
    ['zh-CN', '12,50', 'CNY', '金额格式不清楚，小数点用“.”，千位用“,”分隔，例如 59.90 或 1,299.00'],
    ['zh-CN', '-3', 'CNY', '价格不能为负数'],
    ['zh-CN', '', 'CNY', '请填写此项'],
  ];
  const blank = { sku: 'A', name: 'a', price: '', originalPrice: '', unit: '', stock: '', imageUrl: '', origin: '', tagline: '', obsScene: '', netWeight: '', grade: '', harvestDate: '', producer: '', traceUrl: '' };
  it.each(form)('%s: the price field refuses "%s" (%s) with “%s”', (locale, typed, currency, text) => {
    const mark = locale === 'fr' ? ',' : '.';
    expect(readProductForm({ ...blank, price: typed }, currency, t(locale), mark)).toEqual({ ok: false, errors: { price: text } });
  });

  it('the French form takes "12,50" and "1 299,00"', () => {
    expect(readProductForm({ ...blank, price: '12,50', originalPrice: '1 299,00' }, 'CNY', t('fr'), ',')).toMatchObject({ ok: true, input: { priceMinor: 1250, originalPriceMinor: 129900 } });
  });
});

describe('CSV row errors in zh-CN, en and fr', () => {
  /** One file with a row for each code that a row can get (the header code needs a file of its own). */
  const csv = [
    'sku,name,price,original_price,stock,tagline,image_url',
    'A,a,"12,50",,,,', // separators
    'B,b,abc,,,,', // not_amount
    'C,c,1.299,,,,', // ambiguous
    'D,d,1.2345,,,,', // too_many_decimals
    'E,e,-1,,,,', // negative
    'F,f,,,,,', // required
    'G,g,1,99999999999999999999,,,', // too_large (money)
    'H,h,1,,x,,', // not_whole_number
    'P,p,1,,,,',
    'P,dup,1,,,,', // duplicate_sku
    `I,i,1,,,${'x'.repeat(141)},`, // too_long
    'J J,j,1,,,,', // no_spaces
    'K,k,1,,,,ftp://x', // url
    'O,\u200b\u200b,1,,,,', // invisible
    'L,l,1,,,,,extra', // too_many_fields
    'M,m,1', // too_few_fields
    'N,"n,1,,,,', // quotes
  ].join('\n');
  /** The farm columns' codes (issue 17), in a file of their own so the sample's cell counts stay as they are. */
  const farm = ['sku,name,price,net weight (g),harvest date', 'Q,q,1,5kg,', 'R,r,1,,2026-02-30'].join('\n'); // whole_number, date
  const errors = [...parseCatalogCsv(csv, 'CNY').errors, ...parseCatalogCsv(farm, 'CNY').errors, ...parseCatalogCsv('sku,name\nA,a\n', 'CNY').errors];
  const priceError = errors.find((e) => e.code === 'separators')!;
  const ctx = { currency: 'CNY', mark: '.' as const };

  it('the sample file gets every code a row can carry (so each is checked below)', () => {
    const seen = new Set(errors.map((e) => e.code));
    const untested = CSV_ERROR_CODES.filter((c) => !seen.has(c) && c !== 'invalid' && c !== 'malformed');
    expect(untested).toEqual([]);
  });

  it('words every code in every language, with the line and the column’s label', () => {
    const all: CsvRowError[] = [
      ...errors,
      // Papa's other errors, and a schema refusal this console has no closer text for.
      { line: 9, field: '(row)', code: 'malformed', params: {} },
      { line: 9, field: 'obsScene', code: 'invalid', params: {} },
    ];
    for (const e of all) {
      const texts = inAll((l) => csvRowText(e, t(l), ctx));
      expectTranslated(texts, `${e.code} (${e.field})`);
      expect(texts.en).toContain(`Line ${e.line} · `);
      expect(texts['zh-CN']).toContain(`第 ${e.line} 行 · `);
      expect(texts.fr).toContain(`Ligne ${e.line} · `);
    }
  });

  it.each([
    ['en', 'Line 2 · Price “12,50” — Unclear amount: use a point for decimals and commas for thousands, like 59.90 or 1,299.00'],
    ['zh-CN', '第 2 行 · 售价“12,50”：金额格式不清楚，小数点用“.”，千位用“,”分隔，例如 59.90 或 1,299.00'],
    ['fr', 'Ligne 2 · Prix « 12,50 » — Montant peu clair : point pour les décimales, virgule pour les milliers, comme 59.90 ou 1,299.00'],
  ] as const)('%s: a refused price names the line, the column and the value', (l, text) => {
    expect(csvRowText(priceError, t(l), ctx)).toBe(text);
  });

  it('a French console explains a comma-separated file with the file’s own convention (a decimal point)', () => {
    const r = parseCatalogCsv('sku,name,price\nA,a,"12,50"\n', 'CNY');
    expect(csvRowText(r.errors[0]!, t('fr'), { currency: 'CNY', mark: r.decimalMark })).toBe(
      'Ligne 2 · Prix « 12,50 » — Montant peu clair : point pour les décimales, virgule pour les milliers, comme 59.90 ou 1,299.00',
    );
  });
});

describe('built-in texts', () => {
  const keys = Object.keys(MESSAGES.en) as MessageKey[];
  const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('no key is missing in a language, none is empty, each keeps the same {params}', () => {
    for (const l of LOCALES) {
      const missing = keys.filter((k) => !Object.hasOwn(MESSAGES[l], k));
      const extra = Object.keys(MESSAGES[l]).filter((k) => !Object.hasOwn(MESSAGES.en, k));
      expect({ missing, extra }, l).toEqual({ missing: [], extra: [] });
      for (const k of keys) {
        expect(MESSAGES[l][k].trim(), `${l} ${k}`).not.toBe('');
        expect(params(MESSAGES[l][k]), `${l} ${k}`).toEqual(params(MESSAGES.en[k]));
      }
    }
  });

  it('the new input texts are translated, not English copies', () => {
    const input = keys.filter((k) => /^(pairing|money|csv)\./.test(k) && !['csv.row', 'csv.fieldValue'].includes(k));
    expect(input.length).toBeGreaterThan(20);
    const bare = (l: Locale, k: MessageKey) => MESSAGES[l][k].replace(/\{\w+\}/g, '');
    for (const k of input) expectTranslated({ en: bare('en', k), 'zh-CN': bare('zh-CN', k), fr: bare('fr', k) }, k);
  });

  /** The extension's UI sources. */
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
    });
  const ui = [...sources(join(ROOT, 'extension/components')), ...sources(join(ROOT, 'extension/entrypoints')), ...sources(join(ROOT, 'extension/ui')), ...sources(join(ROOT, 'extension/common')), ...sources(join(ROOT, 'extension/worker'))];

  it('every key the UI asks for by name exists (t(\'…\') in the sources)', () => {
    const asked = new Set<string>();
    for (const file of ui) for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'/g)) asked.add(m[1]!);
    expect(asked.size).toBeGreaterThan(100);
    expect([...asked].filter((k) => !Object.hasOwn(MESSAGES.en, k))).toEqual([]);
  });

  it('every key the UI builds at run time exists (problem.*, obs.state.*, field.*)', () => {
    const problems = ['unreachable', 'unauthorized', 'not_found', 'protocol_mismatch', 'other', 'bad_link', 'permission_denied', 'timeout'];
    const obsStates = ['disconnected', 'connecting', 'connected', 'reconnecting'];
    const fields = ['sku', 'name', 'price', 'originalPrice', 'unit', 'stock', 'imageUrl', 'origin', 'tagline', 'obsScene'];
    const built = [...problems.map((p) => `problem.${p}`), ...obsStates.map((s) => `obs.state.${s}`), ...fields.map((f) => `field.${f}`)];
    expect(built.filter((k) => !Object.hasOwn(MESSAGES.en, k))).toEqual([]);
  });

  it('no English words are written straight into the UI’s markup (JSX text, labels, titles, placeholders)', () => {
    // Product and brand names that stay as they are in every language.
    const allowed = new Set(['OBS', 'LiveShelf']);
    const found: string[] = [];
    for (const file of ui.filter((f) => f.endsWith('.tsx'))) {
      const code = readFileSync(file, 'utf8').replace(/\{\/\*[\s\S]*?\*\/\}/g, '');
      const texts = [
        // Text right after a DOM element's opening or closing tag (<p …>, </span>), not TypeScript generics.
        ...[...code.matchAll(/(?:<[a-z][a-z0-9]*(?:\s[^<>]*)?>|<\/[a-z][a-z0-9]*>)([^<>{}]+)(?=<)/g)].map((m) => m[1]!),
        ...[...code.matchAll(/\b(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]!),
      ];
      for (const text of texts) {
        // Markup text is a word of letters, not code (=>, &&, a URL example).
        const words = text.trim().replace(/https?:\/\/\S*|ws:\/\/\S*/g, '').match(/\b[A-Za-z]{2,}\b/g) ?? [];
        if (/[=;&|()]/.test(text)) continue;
        const english = words.filter((w) => !allowed.has(w));
        if (english.length > 0) found.push(`${relative(ROOT, file)}: ${text.trim()}`);
      }
    }
    expect(found).toEqual([]);
  });
});
