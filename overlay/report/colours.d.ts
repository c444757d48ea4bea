export declare function productColours(productIds: readonly string[]): Map<string, string>;
