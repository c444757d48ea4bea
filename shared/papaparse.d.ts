/**
 * The part of papaparse's API shared/ uses: parsing a string (whole or row by row) and writing
 * one. shared/tsconfig.json maps the 'papaparse' import here, because @types/papaparse opens with
 * `/// <reference types="node" />` (for its Node stream and file inputs) and would give every
 * file of shared/ Node's globals. The signatures are @types/papaparse 5.5's, cut to string input;
 * the other projects still see the full @types package, and tests/unit/runtime-types.test.ts
 * checks that it stays assignable to this.
 */

export interface ParseError {
  type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
  code: 'MissingQuotes' | 'UndetectableDelimiter' | 'TooFewFields' | 'TooManyFields' | 'InvalidQuotes';
  message: string;
  row?: number | undefined;
  index?: number | undefined;
}

export interface ParseMeta {
  delimiter: string;
  linebreak: string;
  aborted: boolean;
  fields?: string[] | undefined;
  truncated: boolean;
  cursor: number;
  renamedHeaders?: Record<string, string>;
}

export interface ParseStepResult<T> {
  data: T;
  errors: ParseError[];
  meta: ParseMeta;
}

export interface ParseResult<T> {
  data: T[];
  errors: ParseError[];
  meta: ParseMeta;
}

export interface ParseConfig<T> {
  delimiter?: string | ((input: string) => string) | undefined;
  newline?: '\r' | '\n' | '\r\n' | undefined;
  header?: boolean | undefined;
  transformHeader?(header: string, index: number): string;
  preview?: number | undefined;
  skipEmptyLines?: boolean | 'greedy' | undefined;
  step?(results: ParseStepResult<T>): void;
}

export interface UnparseConfig {
  quotes?: boolean | boolean[] | undefined;
  delimiter?: string | undefined;
  header?: boolean | undefined;
  newline?: string | undefined;
  skipEmptyLines?: boolean | 'greedy' | undefined;
  columns?: string[] | undefined;
  escapeFormulae?: boolean | RegExp | undefined;
}

export interface UnparseObject<T> {
  fields: string[];
  data: T[];
}

export function parse<T>(csvString: string, config?: ParseConfig<T> & { download?: false | undefined; worker?: false | undefined }): ParseResult<T>;
export function unparse<T>(data: T[] | UnparseObject<T>, config?: UnparseConfig): string;
