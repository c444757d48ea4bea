/**
 * The extension's runtimes are visible in its tree: extension/worker/ runs in the background
 * worker, extension/ui/ and extension/components/ in the pages, extension/common/ on both sides.
 * Neither side loads the other's code (a type may cross: it leaves nothing in the bundle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const sources = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => /\.tsx?$/.test(f)).map((f) => `${dir}/${f}`);
/** The folders a file's value imports (not `import type`) reach into, among the extension's own. */
function valueImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^import (?!type )[^;]*?from '(\.\.\/[^']+)'/gm)].map((m) => m[1]!).filter((p) => /^\.\.\/(ui|worker|common|components)\//.test(p));
}

describe('extension folders', () => {
  it.each([
    ['extension/worker', ['ui', 'components']],
    ['extension/common', ['ui', 'components', 'worker']],
    ['extension/ui', ['worker', 'components']],
    ['extension/components', ['worker']],
  ])('%s loads nothing from %j', (dir, forbidden) => {
    const crossing = sources(dir).flatMap((f) => valueImports(f).filter((p) => forbidden.some((d) => p.startsWith(`../${d}/`))).map((p) => `${f} → ${p}`));
    expect(crossing).toEqual([]);
  });

  it('reads the imports it judges (the worker loads common code)', () => {
    expect(sources('extension/worker').flatMap(valueImports)).toContain('../common/storage-items');
  });
});
