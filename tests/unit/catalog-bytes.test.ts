/**
 * decodeCatalogBytes (shared/catalog-bytes.ts): the bytes each spreadsheet really saves, written
 * here — GBK by iconv-lite (checked against GBK's own code table for two characters), UTF-16 as
 * Excel's "Unicode text" writes it, UTF-8 with and without Excel's BOM, Windows-1252 as a French
 * Excel saves its CSV — then read back and parsed as the import does.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCatalogBytes } from '../../shared/catalog-bytes.js';
import { parseCatalogCsv } from '../../shared/catalog-csv.js';

const HEADER = '商品编码,名称,价格,库存,产地,生产者';
const ROW = 'YS-POM-5KG,永胜软籽石榴,59.90,1600,云南丽江永胜县,永胜县石榴种植专业合作社';
const CATALOG = `${HEADER}\r\n${ROW}\r\n`;
const bytes = (b: Buffer | number[]) => new Uint8Array(b);

describe('decodeCatalogBytes', () => {
  it('encodes 名称 as GBK does (code table: 名 C3FB, 称 B3C6), so the test files are real GBK', () => {
    expect([...iconv.encode('名称', 'gbk')]).toEqual([0xc3, 0xfb, 0xb3, 0xc6]);
  });

  it('reads a GBK catalog (Excel or WPS on a Chinese Windows) as GB18030, with its Chinese header and product', () => {
    const gbk = bytes(iconv.encode(CATALOG, 'gbk'));
    // What the import did before: a UTF-8 read turns every Chinese character into U+FFFD.
    expect(new TextDecoder().decode(gbk)).toContain('\uFFFD');
    const decoded = decodeCatalogBytes(gbk);
    expect(decoded).toEqual({ text: CATALOG, encoding: 'gb18030' });
    const r = parseCatalogCsv(decoded.text, 'CNY');
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => x.product)).toEqual([
      { sku: 'YS-POM-5KG', name: '永胜软籽石榴', priceMinor: 5990, stock: 1600, origin: '云南丽江永胜县', producer: '永胜县石榴种植专业合作社' },
    ]);
  });

  it('reads the sample catalog saved in GBK back to the same products as its UTF-8 original', () => {
    const utf8 = readFileSync(new URL('../../examples/catalog-sample.csv', import.meta.url), 'utf8').replace(/^\uFEFF/, '');
    const decoded = decodeCatalogBytes(bytes(iconv.encode(utf8, 'gbk')));
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.text).toBe(utf8);
    expect(parseCatalogCsv(decoded.text, 'CNY').rows).toEqual(parseCatalogCsv(utf8, 'CNY').rows);
  });

  it('reads characters beyond GBK from a GB18030 file (four-byte sequences)', () => {
    // 䶮 (U+4DAE) and 𠮷 (U+20BB7) are not in GBK; GB18030 writes them in four bytes.
    const text = 'sku,name,price\nA1,䶮𠮷农场鸡蛋,35\n';
    const b = iconv.encode(text, 'gb18030');
    expect(b.length).toBeGreaterThan(iconv.encode(text.replace('䶮𠮷', '鸡鸡'), 'gbk').length);
    expect(decodeCatalogBytes(bytes(b))).toEqual({ text, encoding: 'gb18030' });
  });

  it('reads a French Excel’s “CSV (séparateur : point-virgule)” in Windows-1252, its accented header and names intact', () => {
    // No byte in 0x80–0x9F here (’ € œ —): Node 20.18.3+ decodes those as C1 controls
    // (nodejs/node#60888); browsers decode them right, which the e2e test checks in Chromium.
    const text = ['sku;nom;prix;origine;date_de_récolte', "FR-MIEL;Miel de lavande, récolte d'été;12,90;Haute-Provence;2026-07-14", 'FR-RIZ;Riz de Camargue IGP, épautre;4,50;Arles (Bouches-du-Rhône);'].join('\r\n');
    const cp1252 = bytes(iconv.encode(text, 'win1252'));
    // Neither UTF-8 nor GBK: "été;" is a lone 0xE9 before ";", which no GBK character is.
    expect(() => new TextDecoder('gb18030', { fatal: true }).decode(cp1252)).toThrow();
    const decoded = decodeCatalogBytes(cp1252);
    expect(decoded).toEqual({ text, encoding: 'windows-1252' });
    expect(parseCatalogCsv(decoded.text, 'EUR').rows.map((x) => [x.product.name, x.product.priceMinor, x.product.harvestDate ?? null])).toEqual([
      ["Miel de lavande, récolte d'été", 1290, '2026-07-14'],
      ['Riz de Camargue IGP, épautre', 450, null],
    ]);
  });

  it("reads Excel's “Unicode text”: UTF-16 LE with a BOM, tab-separated", () => {
    const text = ['名称\t价格\t库存\t商品编码', '砀山酥梨\t39.90\t\tDS-PEAR', '苗家野蜂蜜, "wild"\t68\t120\tMX-HONEY'].join('\r\n');
    const le = bytes([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    const decoded = decodeCatalogBytes(le);
    expect(decoded).toEqual({ text, encoding: 'utf-16le' });
    const r = parseCatalogCsv(decoded.text, 'CNY');
    expect(r).toMatchObject({ delimiter: '\t', errors: [] });
    expect(r.rows.map((x) => [x.product.sku, x.product.name, x.product.priceMinor, x.product.stock])).toEqual([
      ['DS-PEAR', '砀山酥梨', 3990, null],
      ['MX-HONEY', '苗家野蜂蜜, "wild"', 6800, 120],
    ]);
  });

  it('reads UTF-16 BE with a BOM', () => {
    const text = 'sku,name,price\nA1,洛川苹果,36.80\n';
    const le = Buffer.from(text, 'utf16le');
    const be = bytes([0xfe, 0xff, ...le.swap16()]);
    expect(decodeCatalogBytes(be)).toEqual({ text, encoding: 'utf-16be' });
  });

  it('reads UTF-8 with the BOM Excel writes, and without one', () => {
    const utf8 = Buffer.from(CATALOG, 'utf8');
    expect(decodeCatalogBytes(bytes([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text: CATALOG, encoding: 'utf-8-bom' });
    expect(decodeCatalogBytes(bytes(utf8))).toEqual({ text: CATALOG, encoding: 'utf-8' });
    expect(decodeCatalogBytes(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8' });
  });

  it('gives back any UTF-8 text exactly, with or without a BOM', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.boolean(), (text, bom) => {
        // A text that opens with U+FEFF is, in UTF-8 bytes, a BOM: it cannot be told apart.
        fc.pre(!text.startsWith('\uFEFF'));
        const utf8 = Buffer.from(text, 'utf8');
        const decoded = decodeCatalogBytes(bytes(bom ? [0xef, 0xbb, 0xbf, ...utf8] : utf8));
        expect(decoded).toEqual({ text, encoding: bom ? 'utf-8-bom' : 'utf-8' });
      }),
      { numRuns: 500 },
    );
  });
});
