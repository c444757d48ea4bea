/**
 * Each runtime's TypeScript project sees only the platform its code runs on (tsconfig.json at
 * the root lists them): shared/ neither the DOM nor Node, the overlay page and the extension the
 * DOM and not Node, the relay Node and not the DOM. A probe file is compiled with each project's
 * files and options, so a config change or a library's typings that let a runtime's globals
 * back in fail here by name.
 * Two libraries' typings would bring Node in, so shared/ and the extension compile against a
 * declared part of them (shared/papaparse.d.ts, extension/wxt-define.d.ts): the assignments below
 * make `npm run typecheck` fail when the real functions stop fitting those declarations, and the
 * tests check that the real functions do what the declarations say.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { defineBackground } from 'wxt/utils/define-background';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import type * as PapaForShared from '../../shared/papaparse';
import type * as WxtForExtension from '../../extension/wxt-define';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const parse: typeof PapaForShared.parse = Papa.parse;
const unparse: typeof PapaForShared.unparse = Papa.unparse;
const background: typeof WxtForExtension.defineBackground = defineBackground;
const unlisted: typeof WxtForExtension.defineUnlistedScript = defineUnlistedScript;
const contentScript: typeof WxtForExtension.defineContentScript = defineContentScript;

/**
 * Which of `names` a file of `project` cannot use: the probe is compiled in a program of the
 * project's own files, options and references (as `tsc -b` builds it), so globals that an
 * imported library's typings bring in count too, not only the lib and types options.
 */
function missingNames(project: string, names: readonly string[]): string[] {
  const configPath = join(ROOT, project, 'tsconfig.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dirname(configPath));
  const probe = join(dirname(configPath), '__runtime_probe__.ts');
  const source = names.map((n, i) => `export const probe${i} = typeof ${n};`).join('\n');
  const options = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) => (file === probe ? ts.createSourceFile(file, source, lang) : getSourceFile(file, lang, ...rest));
  const program = ts.createProgram({ rootNames: [probe, ...parsed.fileNames], options, host, projectReferences: parsed.projectReferences ?? [] });
  return program
    .getSemanticDiagnostics(program.getSourceFile(probe))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    .map((m) => /^Cannot find name '(\w+)'/.exec(m)?.[1] ?? `unexpected: ${m}`);
}

const DOM = ['document', 'window', 'HTMLElement', 'localStorage'];
const NODE = ['process', 'Buffer', 'require', '__dirname'];

describe('each runtime project sees only its own platform', () => {
  it.each([
    { project: 'shared', sees: 'neither the DOM nor Node', missing: [...DOM, ...NODE, 'console', 'setTimeout', 'performance', 'crypto', 'TextEncoder', 'structuredClone'], present: ['URL', 'URLSearchParams', 'TextDecoder', 'Intl', 'Date'] },
    { project: 'overlay/page', sees: 'the DOM, not Node', missing: NODE, present: ['document', 'URL', 'console', 'setTimeout', 'WebSocket'] },
    { project: 'extension', sees: 'the DOM, not Node', missing: NODE, present: ['document', 'URL', 'console', 'setTimeout', 'fetch'] },
    { project: 'overlay/relay', sees: 'Node, not the DOM', missing: DOM, present: ['process', 'Buffer', 'URL', 'console', 'setTimeout'] },
  ])('$project sees $sees', { timeout: 60_000 }, ({ project, missing, present }) => {
    expect(missingNames(project, [...missing, ...present])).toEqual(missing);
  });
});

describe('the declared parts of papaparse and WXT match the real functions', () => {
  it('papaparse parses a string with a header, row by row, and writes CSV', () => {
    const rows: { data: Record<string, string>; cursor: number }[] = [];
    parse<Record<string, string>>('sku,name\r\nA1,Tea\r\n', { header: true, skipEmptyLines: 'greedy', step: (r) => rows.push({ data: r.data, cursor: r.meta.cursor }) });
    expect(rows).toEqual([{ data: { sku: 'A1', name: 'Tea' }, cursor: 18 }]);
    expect(parse('a;b\n1;2', { header: true }).meta).toMatchObject({ delimiter: ';', fields: ['a', 'b'] });
    expect(unparse({ fields: ['a'], data: [['=1']] }, { escapeFormulae: true, newline: '\r\n' })).toBe('a\r\n"\'=1"');
  });

  it("WXT's defineBackground and defineUnlistedScript wrap a main function", () => {
    const main = () => {};
    expect(background(main)).toEqual({ main });
    expect(unlisted({ main, include: ['chrome'] })).toEqual({ main, include: ['chrome'] });
    // The seller-page reader's content script (issue 13), registered at run time.
    expect(contentScript({ matches: [], registration: 'runtime', main })).toEqual({ matches: [], registration: 'runtime', main });
  });
});
