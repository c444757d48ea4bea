/**
 * The product form and the CSV import carry zod and papaparse; they load when first opened,
 * so the panel's first paint does not wait for them.
 */
import { lazy, Suspense } from 'preact/compat';
import type { ComponentProps } from 'preact';
import type { CsvImport } from './CsvImport';
import type { ProductForm } from './ProductForm';

const Form = lazy(() => import('./ProductForm').then((m) => ({ default: m.ProductForm })));
const Csv = lazy(() => import('./CsvImport').then((m) => ({ default: m.CsvImport })));

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
