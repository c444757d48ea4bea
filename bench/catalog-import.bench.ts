/**
 * The catalog import's reading (issue 17; prints figures, not a test): a catalog of N rows
 * (default 5,000) with all the farm columns, written as a GBK CSV, Excel's UTF-16 tab text, a
 * UTF-8 CSV and an .xlsx workbook (write-excel-file), then read by extension/ui/catalog-file.ts
 * readCatalogFile — the code the side panel runs, here in Node's V8 — from bytes to the parsed
 * preview: median and worst of R rounds, file size.
 * Run: npx tsx bench/catalog-import.bench.ts [--rows 5000] [--rounds 7]
 */
import { cpus, loadavg } from 'node:os';
import iconv from 'iconv-lite';
import writeXlsxFile from 'write-excel-file/node';
import { readCatalogFile } from '../extension/ui/catalog-file.js';
import { ms, pct } from './bench-support.js';

const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ROWS = Number(argOf('--rows') ?? 5000);
const ROUNDS = Number(argOf('--rounds') ?? 7);

const header = ['商品编码', '名称', '价格', '原价', '库存', '规格', '产地', '净重(克)', '等级', '采摘日期', '生产者'];
const cells = (i: number) => [`SKU-${i}`, `永胜软籽石榴 ${i} 号`, 59.9 + (i % 7), 79.9, 1000 + i, '5 kg 礼盒', '云南丽江永胜县', 5000, '特级', new Date(Date.UTC(2026, 8, 1 + (i % 28))), '永胜县石榴种植专业合作社'];
const text = (sep: string) =>
  [header, ...Array.from({ length: ROWS }, (_, i) => cells(i).map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : typeof c === 'number' ? c.toFixed(2).replace(/\.00$/, '') : c)))]
    .map((r) => r.join(sep))
    .join('\r\n');

const files: [string, Buffer][] = [
  ['GBK CSV', iconv.encode(text(','), 'gbk')],
  ['UTF-16 LE tab', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text('\t'), 'utf16le')])],
  ['UTF-8 CSV', Buffer.from(text(','), 'utf8')],
  ['.xlsx', await writeXlsxFile([header, ...Array.from({ length: ROWS }, (_, i) => cells(i))], { dateFormat: 'yyyy-mm-dd' }).toBuffer()],
];

console.log(`LiveShelf catalog import — ${ROWS} rows, ${ROUNDS} rounds, ${new Date().toISOString()}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
for (const [name, bytes] of files) {
  const blob = new Blob([new Uint8Array(bytes)]);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const read = await readCatalogFile(blob, 'CNY');
    times.push(performance.now() - t0);
    if (!read.ok || read.parsed.rows.length !== ROWS || read.parsed.errors.length > 0) throw new Error(`${name}: not ${ROWS} good rows`);
  }
  console.log(`${name.padEnd(14)} ${(bytes.length / 1024).toFixed(0).padStart(5)} KB   median ${ms(pct(times, 50), 0)}   worst ${ms(Math.max(...times), 0)}`);
}
