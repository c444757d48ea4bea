/**
 * WXT's entrypoint helpers as the extension's code sees them: defineBackground and
 * defineUnlistedScript, mapped here by extension/tsconfig.json. WXT's own typings of these two
 * import its build-time types (wxt/dist/types), which import Vite's and through them all of
 * Node's globals: the extension's pages and worker would see `process` and `Buffer` again.
 * The signatures and option types are WXT 0.21's, less the options this code does not use
 * (globalName, whose function form takes a build-time type); tests/unit/runtime-types.test.ts
 * checks that WXT's real functions still fit them. Declared types are also what lets the
 * entrypoints' `export default` be named in their declaration output.
 */

type TargetBrowser = string;
type PerBrowserOption<T> = T | { [browser: TargetBrowser]: T };

interface BaseEntrypointOptions {
  include?: TargetBrowser[];
  exclude?: TargetBrowser[];
}

export interface BackgroundDefinition extends BaseEntrypointOptions {
  persistent?: PerBrowserOption<boolean>;
  type?: PerBrowserOption<'module'>;
  /** Runs when the background starts; cannot be async. */
  main(): void;
}

export interface UnlistedScriptDefinition extends BaseEntrypointOptions {
  main(): any | Promise<any>;
}

export function defineBackground(main: () => void): BackgroundDefinition;
export function defineBackground(definition: BackgroundDefinition): BackgroundDefinition;

export function defineUnlistedScript(main: () => void): UnlistedScriptDefinition;
export function defineUnlistedScript(definition: UnlistedScriptDefinition): UnlistedScriptDefinition;

/** The seller-page reader's content script (issue 13): registered at run time, isolated world. */
export interface ContentScriptDefinition extends BaseEntrypointOptions {
  matches?: PerBrowserOption<string[]>;
  registration?: PerBrowserOption<'manifest' | 'runtime'>;
  /** WXT passes its ContentScriptContext, which this code does not use. */
  main(ctx: unknown): any | Promise<any>;
}

export function defineContentScript(definition: ContentScriptDefinition): ContentScriptDefinition;
