/**
 * The product form and the CSV import carry zod and papaparse; they load when first opened,
 * so the panel's first paint does not wait for them. The OBS section sits below the queue: the
 * side panel loads and renders it after the first paint (useAfterFirstPaint).
 */
import { lazy, Suspense } from 'preact/compat';
import type { ComponentProps } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CsvImport } from './CsvImport';
import type { ObsSlot } from './ObsSlot';
import type { ProductForm } from './ProductForm';

const Form = lazy(() => import('./ProductForm').then((m) => ({ default: m.ProductForm })));
const Csv = lazy(() => import('./CsvImport').then((m) => ({ default: m.CsvImport })));
const Obs = lazy(() => import('./ObsSlot').then((m) => ({ default: m.ObsSlot })));

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

export function LazyObsSlot(props: ComponentProps<typeof ObsSlot>) {
  return (
    <Suspense fallback={null}>
      <Obs {...props} />
    </Suspense>
  );
}

/**
 * False until the first frame with `ready` true has been painted, then true: for what is below
 * the fold or loads something (the OBS section, the overlay preview's iframe), so it does not
 * hold up the first paint. (Preact runs effects after the frame is painted.)
 */
export function useAfterFirstPaint(ready: boolean): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (!ready || on) return;
    const timer = setTimeout(() => setOn(true), 0);
    return () => clearTimeout(timer);
  }, [ready, on]);
  return on;
}
