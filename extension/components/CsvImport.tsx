import { useRef, useState } from 'preact/hooks';
import type { CsvImport as Parsed } from '../../shared/catalog-csv';
import { formatMoney } from '../../shared/money';
import { catalogSourceText, readCatalogFile, type CatalogFileProblem, type CatalogFileRead, type CatalogSource } from '../ui/catalog-file';
import type { ConsoleState } from '../ui/console-state';
import { isSingular, type Translate } from '../ui/i18n';
import { amountExamples, csvRowText } from '../ui/input-errors';

/** "9 products ready, 1 row with errors", each count singular or plural in the host's language. */
function previewText(t: Translate, locale: string, ok: number, bad: number): string {
  const one = isSingular(ok, locale);
  const oneBad = isSingular(bad, locale);
  return t(one && oneBad ? 'csvPreview.oneOneBad' : one ? 'csvPreview.one' : oneBad ? 'csvPreview.oneBad' : 'csvPreview', { ok, bad });
}

/**
 * Catalog import (CSV, tab-separated text, .xlsx; extension/ui/catalog-file.ts reads the file)
 * with a preview — what was read and how, and per-row errors — before anything is sent.
 */
export function CsvImport({ s, onDone }: { s: ConsoleState; onDone: () => void }) {
  const t = s.t.value;
  const state = s.room.value;
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [source, setSource] = useState<CatalogSource | null>(null);
  const [problem, setProblem] = useState<CatalogFileProblem | null>(null);
  const [reading, setReading] = useState(false);
  // The file chosen last: a workbook still being read when another file is chosen is dropped.
  const chosen = useRef(0);
  const [busy, setBusy] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  if (!state) return null;
  const { currency } = state.room;
  // Numbers in the host's language; the room's locale is the viewers' (the overlay's).
  const locale = s.locale.value;
  const existing = new Set(state.products.map((p) => p.sku));
  const fresh = parsed ? parsed.rows.filter((r) => !existing.has(r.product.sku)) : [];

  async function onFile(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    const pick = ++chosen.current;
    setFileName(file.name);
    // The last file's preview goes at once: its Import button must not import it meanwhile.
    setParsed(null);
    setSource(null);
    setProblem(null);
    setReading(true);
    const read = await readCatalogFile(file, currency).catch((): CatalogFileRead => ({ ok: false, problem: 'file_unreadable' }));
    if (pick !== chosen.current) return;
    setReading(false);
    if (read.ok) {
      setParsed(read.parsed);
      setSource(read.source);
    } else setProblem(read.problem);
  }

  async function importRows() {
    setBusy(true);
    try {
      for (const row of fresh) {
        await s.command({ type: 'product.add', product: row.product });
        // A row's presale columns become presale.set on the product just added (not a product
        // field), by SKU: the outbox sends them in order, before the relay's id is known here.
        if (row.presale) await s.command({ type: 'presale.set', sku: row.product.sku, ...row.presale });
      }
      setParsed(null);
      onDone();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card csv-import" data-snapshot="skip" aria-label={t('importCsv')}>
      <h3>{t('importCsv')}</h3>
      {/* The native input stays (keyboard, screen readers, drop) but hidden: its button would speak the browser's language. */}
      <label class="csv-file">
        <span>{t('csvFile')}</span>
        <input type="file" accept=".csv,.tsv,.txt,.xlsx,text/csv" class="sr-only" aria-describedby="csv-formats" onChange={onFile} />
        <span class="file-button" aria-hidden="true">
          {t('csvChoose')}
        </span>
        <span class="file-name" aria-hidden="true">
          {fileName ?? t('csvNoFile')}
        </span>
      </label>
      <p class="hint" id="csv-formats">
        {t('csvFormats')}
      </p>
      {reading && (
        <p class="hint" role="status">
          {t('csvReading')}
        </p>
      )}
      {problem && (
        <p role="alert" class="field-error" data-testid="csv-problem">
          {t(`csv.problem.${problem}`)}
        </p>
      )}
      {parsed && source && (
        <>
          {/* One live region: the count and how the file was read are announced together. */}
          <div role="status">
            <p data-testid="csv-summary">{previewText(t, locale, fresh.length, new Set(parsed.errors.map((e) => e.line)).size)}</p>
            <p class="hint" data-testid="csv-read-as">
              {catalogSourceText(source, parsed.delimiter, t)}
            </p>
          </div>
          {parsed.ignoredColumns.length > 0 && <p class="hint">{t('ignoredColumns', { cols: parsed.ignoredColumns.join(', ') })}</p>}
          {parsed.errors.length > 0 && (
            <>
              {/* Prices follow the file's convention, not the console's language (fileDecimalMark). */}
              <p class="hint" data-testid="csv-convention">
                {parsed.delimiter === null
                  ? t('csv.conventionWorkbook', { example: amountExamples(currency, parsed.decimalMark).example })
                  : t('csv.convention', { example: amountExamples(currency, parsed.decimalMark).example, delimiter: parsed.delimiter === '\t' ? '⇥' : parsed.delimiter })}
              </p>
              <ul class="csv-errors">
                {parsed.errors.map((e) => (
                  <li key={`${e.line}-${e.field}`} class="field-error">
                    {csvRowText(e, t, { currency, mark: parsed.decimalMark })}
                  </li>
                ))}
              </ul>
            </>
          )}
          <table class="csv-preview">
            <tbody>
              {parsed.rows.map((r) => (
                <tr key={r.line} class={existing.has(r.product.sku) ? 'dup' : ''}>
                  <td>{r.line}</td>
                  <td>{r.product.name}</td>
                  <td>{formatMoney(r.product.priceMinor, currency, locale)}</td>
                  <td>{r.product.stock ?? t('unlimited')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="row">
            <button type="button" class="primary" disabled={busy || fresh.length === 0} onClick={() => void importRows()}>
              {t(isSingular(fresh.length, locale) ? 'importN.one' : 'importN', { n: fresh.length })}
            </button>
            <button type="button" class="quiet" onClick={() => (setParsed(null), setSource(null), onDone())}>
              {t('cancel')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
