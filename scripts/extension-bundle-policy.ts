/**
 * What the extension's package may not contain, made true at build time (wxt.config.ts adds this
 * plugin to every extension build). The stores' reviewers read the bundle, and Mozilla's
 * addons-linter (tests/e2e/extension-store-lint.test.ts) flags code made from strings
 * (`Function`, a non-literal `import()`) and HTML assigned from a variable (`innerHTML = x`).
 * None of it runs in LiveShelf's extension, but three pinned dependencies carry it:
 *
 * - zod probes `new Function("")` to decide whether to JIT-compile object parsers. An extension
 *   page's CSP forbids eval in Chrome MV3 and Firefox MV2 alike, so the probe always fails there
 *   and zod always parses without its JIT: answering "no" without probing changes nothing. The JIT
 *   compiler (Doc.compile) is then never called; it throws should that change.
 * - engine.io-client (under socket.io-client) falls back to `Function("return this")()` where
 *   neither `self` nor `window` exists; every browser LiveShelf supports has `globalThis`.
 * - Preact assigns `dangerouslySetInnerHTML` with innerHTML; LiveShelf's components never use it,
 *   so the extension's Preact refuses it loudly instead.
 *
 * Each rewrite must match its pinned dependency's text exactly once, or the build fails naming
 * the dependency to look at: a new version must not slip the code back in unnoticed.
 */
import type { Plugin } from 'vite';

interface Rewrite {
  /** The module's path inside node_modules. */
  module: string;
  find: string;
  replace: string;
}

const REWRITES: readonly Rewrite[] = [
  {
    module: 'zod/v4/core/util.js',
    find: `    try {
        const F = Function;
        new F("");
        return true;
    }
    catch (_) {
        return false;
    }`,
    replace: `    return false; // LiveShelf: an extension page's CSP forbids eval (scripts/extension-bundle-policy.ts)`,
  },
  {
    module: 'zod/v4/core/doc.js',
    find: `        const F = Function;
        const content = this?.content ?? [\`\`];
        const factory = new F(...Object.keys(this.closed), \`return function (\${this.args.join(", ")}) {\\n\${content.join("\\n")}\\n};\`);
        return factory(...Object.values(this.closed));`,
    replace: `        throw new Error("LiveShelf's extension runs zod without its JIT (scripts/extension-bundle-policy.ts)");`,
  },
  {
    module: 'engine.io-client/build/esm/globals.js',
    find: `return Function("return this")();`,
    replace: `return globalThis;`,
  },
  {
    module: 'preact/dist/preact.mjs',
    find: `(t.innerHTML=h.__html)`,
    replace: `(()=>{throw Error("LiveShelf's extension does not render dangerouslySetInnerHTML (scripts/extension-bundle-policy.ts)")})()`,
  },
];

const inNodeModules = (id: string, module: string) => id.split('?')[0]!.replace(/\\/g, '/').endsWith(`/node_modules/${module}`);

export function extensionBundlePolicy(): Plugin {
  return {
    name: 'liveshelf:extension-bundle-policy',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      const rewrite = REWRITES.find((r) => inNodeModules(id, r.module));
      if (!rewrite) return null;
      const at = code.indexOf(rewrite.find);
      if (at < 0 || code.indexOf(rewrite.find, at + 1) >= 0) {
        throw new Error(`extension bundle policy: ${rewrite.module} no longer has the code it rewrites exactly once; the dependency changed, update scripts/extension-bundle-policy.ts`);
      }
      return { code: code.slice(0, at) + rewrite.replace + code.slice(at + rewrite.find.length), map: null };
    },
  };
}
