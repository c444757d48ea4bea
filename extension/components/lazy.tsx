/**
 * The product form and the CSV import carry zod and papaparse; they load when first opened,
 * so the panel's first paint does not wait for them. The OBS section sits below the queue: the
 * side panel loads and renders it after the first paint (useAfterFirstPaint), and so do the
 * host's log and people (HostTools.tsx).
 */
import { lazy, Suspense } from 'preact/compat';
import type { ComponentProps } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CsvImport } from './CsvImport';
import type { HostToolsPanel } from './HostTools';
import type { ObsSlot } from './ObsSlot';
import type { ProductForm } from './ProductForm';
import type { ReaderPanel } from './ReaderPanel';

const Form = lazy(() => import('./ProductForm').then((m) => ({ default: m.ProductForm })));
const Csv = lazy(() => import('./CsvImport').then((m) => ({ default: m.CsvImport })));
const Obs = lazy(() => import('./ObsSlot').then((m) => ({ default: m.ObsSlot })));
// The host's log and people carry the QR encoder: below the queue, after the first paint.
const Host = lazy(() => import('./HostTools').then((m) => ({ default: m.HostToolsPanel })));
const Reader = lazy(() => import('./ReaderPanel').then((m) => ({ default: m.ReaderPanel })));

export function LazyProductForm(props: ComponentProps<typeof ProductForm>) {
  return (
    <Suspense fallback={null}>
      <Form {...props} />
    </Suspense>
  );
}

export function LazyCsvImport(props: ComponentProps<typeof CsvImport>) {
  return (
    <Suspense fallback={null}>
      <Csv {...props} />
    </Suspense>
  );
}

/** The seller-page reader (issue 13): below the queue, loaded after the first paint like OBS. */
export function LazyReaderPanel(props: ComponentProps<typeof ReaderPanel>) {
  return (
    <Suspense fallback={null}>
      <Reader {...props} />
    </Suspense>
  );
}

export function LazyObsSlot(props: ComponentProps<typeof ObsSlot>) {
  return (
    <Suspense fallback={null}>
      <Obs {...props} />
    </Suspense>
  );
}

export function LazyHostTools(props: ComponentProps<typeof HostToolsPanel>) {
  return (
    <Suspense fallback={null}>
      <Host {...props} />
    </Suspense>
  );
}

/**
 * Runs `fn` in a task after the next frame the page draws; returns the cancel function.
 * requestAnimationFrame does not fire while the page is hidden, and Chrome keeps a side panel
 * hidden until its page has loaded: work scheduled this way waits until the panel is shown and
 * its first frame is drawn, instead of running (from a timer) just when Chrome asks for that
 * frame. Preact's effects alone do not wait: in a hidden page they run after a 100 ms timer.
 */
export function afterNextFrame(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const raf = requestAnimationFrame(() => (timer = setTimeout(fn, 0)));
  return () => {
    cancelAnimationFrame(raf);
    clearTimeout(timer);
  };
}

/**
 * False until a frame with `ready` true has been drawn, then true: for what is below the fold
 * or loads something (the OBS section, the rooms list, the overlay preview's iframe), so it does
 * not hold up the first paint.
 */
export function useAfterFirstPaint(ready: boolean): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (!ready || on) return;
    return afterNextFrame(() => setOn(true));
  }, [ready, on]);
  return on;
}
