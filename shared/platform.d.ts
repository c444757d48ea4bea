/**
 * The platform shared/ may use beyond ECMAScript, declared here because shared/'s project sees
 * neither the DOM nor Node (shared/tsconfig.json): only what both runtimes really provide, with
 * the members shared/ uses today. The WHATWG URL API is one global in Node ≥ 18 and every
 * browser (URL.canParse is newer: Node 18.17, Chrome 120, Firefox 115, Safari 17), so pairing
 * links and product links are parsed here directly rather than passed in.
 *
 * TextDecoder (WHATWG Encoding) is a global in Node ≥ 11 and every browser; catalog-bytes.ts
 * decodes catalog files with it, GB18030 included (Node's builds with full ICU, the default).
 *
 * Nothing else is declared: time, ids, randomness and logging come from the caller (the
 * reducer's rule; Date and Math.random are ECMAScript, so the compiler cannot hold that line),
 * and console, timers, performance, crypto, TextEncoder and structuredClone stay undeclared on
 * purpose: a use of one fails the typecheck (tests/unit/runtime-types.test.ts). Add a member
 * here only when both runtimes have it, and say so.
 */

interface URLSearchParams {
  get(name: string): string | null;
  has(name: string): boolean;
  toString(): string;
}
declare var URLSearchParams: {
  prototype: URLSearchParams;
  new (init?: string | Record<string, string>): URLSearchParams;
};

interface URL {
  readonly hash: string;
  readonly origin: string;
  readonly pathname: string;
  readonly protocol: string;
  readonly searchParams: URLSearchParams;
  toString(): string;
}
declare var URL: {
  prototype: URL;
  new (url: string, base?: string): URL;
  canParse(url: string, base?: string): boolean;
};

interface TextDecoder {
  readonly encoding: string;
  decode(input?: Uint8Array): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};
