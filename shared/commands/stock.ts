/** The stock command: sets how many units are left (null = unlimited). [R5] lives here and in sales. */
import { StockSchema, type Product } from '../domain.js';
import { findProduct, soldOutOf, unknownProduct, withProduct, type RoomEvent } from './apply.js';
import { defineCommand, productRef } from './define.js';

export const stockSet = defineCommand('stock.set', {
  fields: { ...productRef, stock: StockSchema },
  apply(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return unknownProduct(cmd.productId);
    const p = found.product;
    // A restock (stock above 0 or unlimited) clears a manual sold-out mark.
    const manual = cmd.stock === 0 ? p.soldOutManual : false;
    // The host's count supersedes what feeds counted beyond the old stock ([R11]): a later void gives its units back to this stock.
    const { oversold: _counted, ...rest } = p;
    const next: Product = { ...rest, stock: cmd.stock, soldOutManual: manual };
    next.soldOut = soldOutOf(next);
    const events: RoomEvent[] = [{ type: 'stock.changed', productId: p.id, stock: cmd.stock }];
    if (next.soldOut !== p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: next.soldOut });
    return { ok: true, state: { ...state, products: withProduct(state, found.index, next) }, events };
  },
});

export const STOCK_COMMANDS = [stockSet] as const;
