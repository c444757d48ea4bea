import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseCatalogCsv } from '../../shared/catalog-csv.js';
import { currencyDigits, decimalMarkOf, formatCount, formatMoney, minorToDecimal, parseAmount, parseMoney, type MoneyParse } from '../../shared/money.js';
import { overlayLink, pairingLink, parsePairingLink } from '../../shared/pairing.js';

describe('parseMoney: what a host types → integer minor units, no floats', () => {
  // [typed, currency, minor units or null]
  const cases: [string, string, number | null][] = [
    ['59.90', 'CNY', 5990],
    ['59.9', 'CNY', 5990],
    ['59', 'CNY', 5900],
    ['59.', 'CNY', 5900],
    ['  128.00 ', 'CNY', 12800],
    ['¥1,299', 'CNY', 129900],
    ['￥1,299.50', 'CNY', 129950],
    ['CNY 1,234,567.89', 'CNY', 123456789],
    ['$0.29', 'USD', 29],
    ['0.29', 'CNY', 29],
    ['0.57', 'CNY', 57],
    ['1.005', 'KWD', 1005],
    ['4.35', 'EUR', 435],
    ['59.9900', 'CNY', 5999],
    ['0', 'CNY', 0],
    ['.5', 'CNY', 50],
    ['¥.99', 'CNY', 99],
    ['1,299', 'JPY', 1299],
    ['₹1,29,900.50', 'INR', 12990050],
    ['1299', 'JPY', 1299],
    ['12.0', 'JPY', 12],
    // refused: more decimals than the currency has, signs, words, ambiguous separators
    ['59.999', 'CNY', null],
    ['1.005', 'CNY', null],
    // three digits after the point in a 2-digit currency: 59.99 or 59 990? (see parseAmount)
    ['59.990', 'CNY', null],
    ['12.000', 'JPY', null],
    ['12.5', 'JPY', null],
    ['-5', 'CNY', null],
    ['', 'CNY', null],
    ['¥', 'CNY', null],
    ['.', 'CNY', null],
    ['12..5', 'CNY', null],
    ['1e3', 'CNY', null],
    ['59.90元', 'CNY', null],
    ['abc', 'CNY', null],
    // a French host's decimal comma must not become a price a hundred times higher
    ['12,50', 'EUR', null],
    ['1,2', 'CNY', null],
    ['1,2,', 'CNY', null],
    [',500', 'CNY', null],
    ['99999999999999999999', 'CNY', null],
  ];
  it.each(cases)('"%s" in %s → %s', (typed, currency, minor) => {
    expect(parseMoney(typed, currency)).toBe(minor);
  });

  it('never suffers float error: every a.bb round-trips exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (minor) => {
        expect(parseMoney(minorToDecimal(minor, 'CNY'), 'CNY')).toBe(minor);
        expect(parseMoney(minorToDecimal(minor, 'KWD'), 'KWD')).toBe(minor);
        expect(parseMoney(minorToDecimal(minor, 'JPY'), 'JPY')).toBe(minor);
      }),
    );
  });

  it('knows the minor digits of CNY, JPY and KWD', () => {
    expect([currencyDigits('CNY'), currencyDigits('JPY'), currencyDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it.each([
    [5, 'CNY', '0.05'],
    [5990, 'CNY', '59.90'],
    [-5990, 'CNY', '-59.90'],
    [1299, 'JPY', '1299'],
    [1005, 'KWD', '1.005'],
  ])('minorToDecimal(%s, %s) = %s', (minor, currency, text) => {
    expect(minorToDecimal(minor, currency)).toBe(text);
  });
});

describe('parseAmount: the decimal mark of the console language, nothing guessed', () => {
  it('takes the mark from the language: a point in en and zh-CN, a comma in fr', () => {
    expect([decimalMarkOf('en'), decimalMarkOf('zh-CN'), decimalMarkOf('fr')]).toEqual(['.', '.', ',']);
  });

  const ok = (minor: number): MoneyParse => ({ ok: true, minor });
  const no = (error: Exclude<MoneyParse, { ok: true }>['error']): MoneyParse => ({ ok: false, error });
  // [language, typed, currency, result]
  const cases: [string, string, string, MoneyParse][] = [
    // French: decimal comma, thousands by a space, a no-break space or a narrow no-break space
    ['fr', '12,50', 'CNY', ok(1250)],
    ['fr', '12,5', 'EUR', ok(1250)],
    ['fr', '1 299,00', 'EUR', ok(129900)],
    ['fr', '1\u00a0299,00', 'EUR', ok(129900)],
    ['fr', '1\u202f299,00', 'EUR', ok(129900)],
    ['fr', '12 345 678,90', 'EUR', ok(1234567890)],
    ['fr', '1 299', 'JPY', ok(1299)],
    ['fr', '¥ 59,90', 'CNY', ok(5990)],
    ['fr', ',5', 'EUR', ok(50)],
    ['fr', '1,299', 'KWD', ok(1299)],
    // a lone point with one or two digits is a decimal point (the French numeric keypad types it)
    ['fr', '12.50', 'CNY', ok(1250)],
    ['fr', '1 299', 'EUR', ok(129900)],
    // refused in French
    ['fr', '1,299', 'CNY', no('ambiguous')],
    ['fr', '1.299', 'CNY', no('separators')],
    ['fr', '1.299,00', 'EUR', no('separators')],
    ['fr', '1,299.00', 'EUR', no('separators')],
    ['fr', '12,50,3', 'EUR', no('separators')],
    ['fr', '12 50', 'EUR', no('separators')],
    ['fr', '1  299,00', 'EUR', no('not_amount')],
    ['fr', '12,5', 'JPY', no('too_many_decimals')],
    ['fr', '12,555', 'KWD', ok(12555)],
    ['fr', '0,001', 'EUR', no('ambiguous')],
    ['fr', '-12,50', 'EUR', no('negative')],
    ['fr', '', 'EUR', no('empty')],
    ['fr', 'douze', 'EUR', no('not_amount')],
    // English and Chinese: decimal point, thousands by a comma (or a space)
    ['en', '12.50', 'CNY', ok(1250)],
    ['en', '1,299.00', 'CNY', ok(129900)],
    ['en', '1 299.00', 'CNY', ok(129900)],
    ['zh-CN', '¥1,299.50', 'CNY', ok(129950)],
    ['zh-CN', '59.9', 'CNY', ok(5990)],
    ['zh-CN', '1,299', 'JPY', ok(1299)],
    ['en', '1.005', 'KWD', ok(1005)],
    // refused in English and Chinese
    ['en', '12,50', 'CNY', no('separators')],
    ['zh-CN', '12,50', 'CNY', no('separators')],
    ['en', '1,299,00', 'EUR', no('separators')],
    ['en', '1.299,00', 'EUR', no('separators')],
    ['en', '1.299', 'CNY', no('ambiguous')],
    ['zh-CN', '12.000', 'JPY', no('too_many_decimals')],
    ['en', '12.5', 'JPY', no('too_many_decimals')],
    ['en', '59.999', 'CNY', no('ambiguous')],
    ['en', '59.9999', 'CNY', no('too_many_decimals')],
    ['en', '12 50', 'CNY', no('separators')],
    ['zh-CN', '99999999999999999999', 'CNY', no('too_large')],
    ['zh-CN', '−5', 'CNY', no('negative')],
  ];
  it.each(cases)('%s: "%s" in %s → %j', (locale, typed, currency, expected) => {
    expect(parseAmount(typed, currency, decimalMarkOf(locale))).toEqual(expected);
  });

  it('shows a stored price with the language’s mark, and reads it back to the same minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.constantFrom('CNY', 'JPY', 'KWD', 'EUR'), fc.constantFrom('en', 'zh-CN', 'fr'), (minor, currency, locale) => {
        const mark = decimalMarkOf(locale);
        expect(parseAmount(minorToDecimal(minor, currency, mark), currency, mark)).toEqual({ ok: true, minor });
      }),
    );
  });

  it('reads back what Intl writes in each language (grouped, with the narrow no-break space in fr)', () => {
    for (const locale of ['en', 'zh-CN', 'fr']) {
      const written = new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(1234567.89);
      expect(parseAmount(written, 'CNY', decimalMarkOf(locale)), `${locale} ${written}`).toEqual({ ok: true, minor: 123456789 });
    }
  });
});

describe('formatMoney and formatCount: one formatter, per locale', () => {
  it.each([
    [5990, 'CNY', 'zh-CN', '¥59.90'],
    [1234567, 'CNY', 'zh-CN', '¥12,345.67'],
    [129900, 'USD', 'en', '$1,299.00'],
    [29, 'USD', 'en', '$0.29'],
    [5990, 'EUR', 'fr', '59,90\u00a0€'],
    [129900, 'EUR', 'fr', '1\u202f299,00\u00a0€'],
  ])('formatMoney(%s, %s, %s) = %s', (minor, currency, locale, text) => {
    expect(formatMoney(minor, currency, locale)).toBe(text);
  });

  it('shows JPY without decimals', () => {
    expect(formatMoney(1299, 'JPY', 'ja')).toMatch(/^[¥￥]1,299$/);
  });

  it.each([
    [1600, 'en', '1,600'],
    [1600, 'fr', '1\u202f600'],
    [1600, 'zh-CN', '1,600'],
  ])('formatCount(%s, %s) = %s', (n, locale, text) => {
    expect(formatCount(n, locale)).toBe(text);
  });
});

describe('parseCatalogCsv', () => {
  const sample = readFileSync(new URL('../../examples/catalog-sample.csv', import.meta.url), 'utf8');

  it('reads the sample catalog: 9 rows, no errors, BOM stripped', () => {
    expect(sample.charCodeAt(0)).toBe(0xfeff);
    const r = parseCatalogCsv(sample, 'CNY');
    expect(r.errors).toEqual([]);
    expect(r.ignoredColumns).toEqual([]);
    expect(r.rows).toHaveLength(9);
    expect(r.rows.map((x) => x.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.rows[0]).toEqual({
      line: 2,
      product: {
        sku: 'YS-POM-5KG',
        name: '永胜软籽石榴',
        origin: '云南丽江永胜县',
        unit: '5 kg box',
        priceMinor: 5990,
        originalPriceMinor: 7990,
        stock: 1600,
        tagline: '软籽可嚼，甜度18+',
        obsScene: 'Closeup',
      },
      presale: null,
    });
  });

  it('keeps quoted commas and doubled quotes, reads empty stock as unlimited and 0 as 0', () => {
    const bySku = new Map(parseCatalogCsv(sample, 'CNY').rows.map((x) => [x.product.sku, x.product]));
    expect(bySku.get('MX-HONEY-500G')).toMatchObject({ name: 'Miao mountain honey, "wild" 苗家野蜂蜜', priceMinor: 6800, originalPriceMinor: 8800, stock: 120 });
    expect(bySku.get('LC-APPLE-4KG')).toMatchObject({ stock: null, priceMinor: 3680, tagline: 'unlimited stock, 现摘现发' });
    expect(bySku.get('LC-APPLE-4KG')).not.toHaveProperty('originalPriceMinor');
    expect(bySku.get('TG-EGG-30')).toMatchObject({ stock: 0, priceMinor: 3500 });
    expect(bySku.get('DS-PEACH-6')).toMatchObject({ unit: '6 jars × 425 g', tagline: '无添加, 一口爆汁' });
  });

  it('reads the same file without a BOM and with CRLF line ends', () => {
    const r = parseCatalogCsv(sample.replace(/^\uFEFF/, '').replace(/\n/g, '\r\n'), 'CNY');
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => x.product.sku)).toEqual(parseCatalogCsv(sample, 'CNY').rows.map((x) => x.product.sku));
  });

  it('accepts Chinese headers and reports unknown columns', () => {
    const r = parseCatalogCsv('商品编码,商品名称,价格,库存,颜色\nA1,苹果,12.5,,红\n', 'CNY');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([{ line: 2, product: { sku: 'A1', name: '苹果', priceMinor: 1250, stock: null }, presale: null }]);
    expect(r.ignoredColumns).toEqual(['颜色']);
  });

  // [what, csv, expected errors (line, field)]
  const bad: [string, string, { line: number; field: string }[]][] = [
    ['a price that is not an amount', 'sku,name,price\nA,a,1.00\nB,b,abc\n', [{ line: 3, field: 'price' }]],
    ['a price with too many decimals', 'sku,name,price\nA,a,59.999\n', [{ line: 2, field: 'price' }]],
    ['an empty price', 'sku,name,price\nA,a,\n', [{ line: 2, field: 'price' }]],
    ['a bad original price', 'sku,name,price,original_price\nA,a,1,x\n', [{ line: 2, field: 'original_price' }]],
    ['a duplicate SKU', 'sku,name,price\nA,a,1\nB,b,2\nA,again,3\n', [{ line: 4, field: 'sku' }]],
    ['a stock that is not a whole number', 'sku,name,price,stock\nA,a,1,2.5\nB,b,1,-1\n', [{ line: 2, field: 'stock' }, { line: 3, field: 'stock' }]],
    ['an empty name', 'sku,name,price\nA,,1\n', [{ line: 2, field: 'name' }]],
    ['a SKU with a space', 'sku,name,price\nA B,a,1\n', [{ line: 2, field: 'sku' }]],
    ['a missing price header', 'sku,name,stock\nA,a,1\n', [{ line: 1, field: '(header)' }]],
    ['no header at all', 'A1,苹果,12.5\n', [{ line: 1, field: '(header)' }]],
    ['a bad row after a blank line', 'sku,name,price\nA,a,1\n\nB,b,x\n', [{ line: 4, field: 'price' }]],
    ['a bad row after a quoted line break', 'sku,name,price,tagline\nA,a,1,"two\nlines"\nB,b,x,\n', [{ line: 4, field: 'price' }]],
    ['a row with too many fields', 'sku,name,price\nA,a,1\nB,b,2,extra\n', [{ line: 3, field: '(row)' }]],
    ['a bad row in a CRLF file with blank lines', 'sku,name,price\r\n\r\nA,a,1\r\n  \r\n,,\r\nB,b,x\r\n', [{ line: 6, field: 'price' }]],
    ['a bad row after an Excel cell break (LF inside, CRLF between rows)', 'sku,name,price,tagline\r\nA,a,1,"two\nlines"\r\nB,b,x,\r\n', [{ line: 4, field: 'price' }]],
    ['a bad row in a file with old Mac line ends', 'sku,name,price\rA,a,1\r\rB,b,x\r', [{ line: 4, field: 'price' }]],
    ['a bad last row without a final line break', 'sku,name,price\nA,a,1\n\nB,b,x', [{ line: 4, field: 'price' }]],
  ];

  it.each(bad)('reports %s with its line number and field', (_what, csv, expected) => {
    const r = parseCatalogCsv(csv, 'CNY');
    expect(r.errors.map(({ line, field }) => ({ line, field }))).toEqual(expected);
    for (const e of r.errors) expect(e.code.length).toBeGreaterThan(0);
  });

  it('reads a header with no rows as an empty catalog', () => {
    expect(parseCatalogCsv('sku,name,price\n', 'CNY')).toEqual({ rows: [], errors: [], ignoredColumns: [], decimalMark: '.', delimiter: ',' });
  });

  it('gives every sample row its line even after blank lines', () => {
    const spaced = sample.replace(/\n/g, '\n\n');
    expect(parseCatalogCsv(spaced, 'CNY').rows.map((x) => x.line)).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it('reads back any catalog a spreadsheet writes, with each row on its real line', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', '"', '\n', '苹', '果', '—', "'"), minLength: 1, maxLength: 12 })
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    const productArb = fc.record({
      name: cell,
      tagline: fc.option(cell, { nil: undefined }),
      priceMinor: fc.integer({ min: 0, max: 10_000_000 }),
      stock: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(productArb, { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (products, newline, bom) => {
        const csv = Papa.unparse(
          products.map((p, i) => ({ sku: `SKU-${i}`, name: p.name, price: minorToDecimal(p.priceMinor, 'CNY'), stock: p.stock ?? '', tagline: p.tagline ?? '' })),
          { newline, quotes: false },
        );
        const r = parseCatalogCsv((bom ? '\uFEFF' : '') + csv, 'CNY');
        expect(r.errors).toEqual([]);
        let line = 2;
        expect(r.rows).toEqual(
          products.map((p, i) => {
            const row = {
              line,
              product: { sku: `SKU-${i}`, name: p.name, priceMinor: p.priceMinor, stock: p.stock, ...(p.tagline !== undefined && { tagline: p.tagline }) },
              presale: null,
            };
            line += 1 + (p.name + (p.tagline ?? '')).split('\n').length - 1;
            return row;
          }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the good rows when some are bad', () => {
    const r = parseCatalogCsv('sku,name,price\nA,a,1\nB,b,abc\nC,c,3\n', 'CNY');
    expect(r.rows.map((x) => [x.line, x.product.sku])).toEqual([[2, 'A'], [4, 'C']]);
  });

  it('gives a bad price its code, the value as typed and the currency (the console words it)', () => {
    expect(parseCatalogCsv('sku,name,price\nA,a,12.5\n', 'JPY').errors).toEqual([
      { line: 2, field: 'price', code: 'too_many_decimals', params: { value: '12.5', currency: 'JPY' } },
    ]);
  });
});

describe('parseCatalogCsv: prices follow the file’s own convention', () => {
  it('reads a comma-separated file with decimal points, whatever the console language', () => {
    const r = parseCatalogCsv('sku,name,price\nA,a,12.50\nB,b,"1,299.00"\n', 'CNY');
    expect(r).toMatchObject({ decimalMark: '.', delimiter: ',', errors: [] });
    expect(r.rows.map((x) => x.product.priceMinor)).toEqual([1250, 129900]);
  });

  it('reads a semicolon-separated file (what a French Excel writes) with decimal commas', () => {
    const r = parseCatalogCsv('\uFEFFsku;nom;prix;stock\nA;Miel;12,50;3\nB;Riz;1 299,00;\n', 'EUR');
    expect(r).toMatchObject({ decimalMark: ',', delimiter: ';', errors: [] });
    expect(r.rows.map((x) => x.product.priceMinor)).toEqual([1250, 129900]);
  });

  it('refuses a quoted decimal comma in a comma-separated file rather than reading 1250', () => {
    expect(parseCatalogCsv('sku,name,price\nA,a,"12,50"\n', 'CNY').errors).toEqual([
      { line: 2, field: 'price', code: 'separators', params: { value: '12,50', currency: 'CNY' } },
    ]);
  });

  it('refuses "1.299" in a semicolon file: a thousands point or three decimals?', () => {
    expect(parseCatalogCsv('sku;name;price\nA;a;1.299\n', 'CNY').errors.map((e) => e.code)).toEqual(['separators']);
  });

  it('gives each row error a code and parameters, no English', () => {
    const r = parseCatalogCsv('sku,name,price,stock\nA,a,1,x\nA,b,2,\nC,,3,\n', 'CNY');
    expect(r.errors).toEqual([
      { line: 2, field: 'stock', code: 'not_whole_number', params: { value: 'x' } },
      { line: 4, field: 'name', code: 'required', params: {} },
    ]);
    expect(parseCatalogCsv('sku,name,price\nA,a,1\nA,b,2\n', 'CNY').errors).toEqual([{ line: 3, field: 'sku', code: 'duplicate_sku', params: { sku: 'A', line: 2 } }]);
    expect(parseCatalogCsv('sku,name\nA,a\n', 'CNY').errors).toEqual([{ line: 1, field: '(header)', code: 'missing_columns', params: { columns: 'price' } }]);
    expect(parseCatalogCsv('sku,name,price\nA,a,1,extra\n', 'CNY').errors).toEqual([{ line: 2, field: '(row)', code: 'too_many_fields', params: {} }]);
  });
});

describe('pairing links', () => {
  it.each([
    ['http://127.0.0.1:4600', 'r_abc', 'host', 'tok_123'],
    ['https://relay.example.com/', 'r_abc', 'cohost', 'a+b/c=d&e#f'],
    ['https://example.com/liveshelf', 'room-9', 'sales', 'x'.repeat(64)],
  ] as const)('round-trips %s %s %s', (relayUrl, room, role, token) => {
    const link = pairingLink(relayUrl, room, role, token);
    expect(link).toContain('/pair#');
    expect(parsePairingLink(`  ${link}\n`)).toEqual({ ok: true, pairing: { relayUrl: relayUrl.replace(/\/$/, ''), room, role, token } });
  });

  it('keeps the token out of what a browser sends (the fragment)', () => {
    const url = new URL(pairingLink('http://127.0.0.1:4600', 'r1', 'host', 'secret-token'));
    expect(url.pathname + url.search).not.toContain('secret-token');
  });

  // [what, pasted, code, params]
  const refused: [string, string, string, Record<string, string>][] = [
    ['the overlay link', overlayLink('http://127.0.0.1:4600', 'r1', 'tok'), 'overlay_link', {}],
    ['another page of the relay', 'http://127.0.0.1:4600/healthz', 'not_pairing', {}],
    ['garbage', 'hello 你好', 'not_a_link', {}],
    ['an empty string', '   ', 'not_a_link', {}],
    ['a link with no fragment', 'http://127.0.0.1:4600/pair', 'cut_short', {}],
    ['a link cut before the token', 'http://127.0.0.1:4600/pair#v=1&room=r1&role=host', 'cut_short', {}],
    ['an unknown role', 'http://127.0.0.1:4600/pair#v=1&room=r1&role=admin&token=t', 'unknown_role', { role: 'admin' }],
    ['a non-http link', 'ftp://127.0.0.1/pair#v=1&room=r1&role=host&token=t', 'not_http', {}],
  ];
  it.each(refused)('says with a code what is wrong with %s', (_what, pasted, code, params) => {
    expect(parsePairingLink(pasted)).toEqual({ ok: false, error: { code, params } });
  });

  it('builds the overlay link for OBS with room and token in the query', () => {
    const url = new URL(overlayLink('http://127.0.0.1:4600/', 'r1', 'tok en'));
    expect(url.pathname).toBe('/overlay/');
    expect(Object.fromEntries(url.searchParams)).toEqual({ room: 'r1', token: 'tok en' });
  });
});
