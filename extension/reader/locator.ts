/**
 * Where a number the host clicked on a seller console is, in a form that finds it again after
 * the console re-renders (issue 13, the seller-page reader). DOM-only, run in the content script.
 *
 * A console's product list re-renders its rows (a new sort, a refresh of every row), so a bare
 * CSS path would follow whatever row now sits at that position: another product. When the
 * number is inside a list row, the locator keeps the list (a CSS path), the row's key — its
 * text with the numbers taken out, which is the product's name and labels, the part that does
 * not change as it sells — and the path from the row to the number. A row of that key is looked
 * for in the list each time; if none has it (the product left the list), nothing is read rather
 * than another product's number. Outside a list, the CSS path alone.
 */
export interface PageLocator {
  css: string;
  row: { list: string; key: string; inner: string } | null;
}

/** Numbers as the consoles write them (12,345 · 1.2万 · ３.５w · 10万+), for taking them out of a row's text. */
const NUMBER_TEXT = /[\d\uFF10-\uFF19][\d\uFF10-\uFF19,.，．\s\u00A0\u202F]*(?:万|千|亿|[wWkKmM](?![A-Za-z]))?\+?/g;

export function rowKey(row: Element): string {
  return (row.textContent ?? '').replace(NUMBER_TEXT, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
}

function step(el: Element): string {
  const tag = el.tagName.toLowerCase();
  const parent = el.parentElement;
  if (!parent) return tag;
  const same = [...parent.children].filter((c) => c.tagName === el.tagName);
  return same.length === 1 ? tag : `${tag}:nth-of-type(${same.indexOf(el) + 1})`;
}

/** The path from `from` (exclusive) down to `el`, as `a > b:nth-of-type(2)`; '' when el is from. */
function pathFrom(from: Element, el: Element): string {
  const steps: string[] = [];
  for (let e: Element | null = el; e && e !== from; e = e.parentElement) steps.unshift(step(e));
  return steps.join(' > ');
}

export function cssPath(el: Element): string {
  const root = el.ownerDocument.documentElement;
  return `html > ${pathFrom(root, el)}`;
}

/** The nearest ancestor (or el) that is one of several like siblings with text of its own besides numbers: a list row. */
function rowOf(el: Element): Element | null {
  let e: Element | null = el;
  for (let depth = 0; e && depth < 12; depth++, e = e.parentElement) {
    const parent: Element | null = e.parentElement;
    if (!parent || parent === e.ownerDocument.documentElement || e === e.ownerDocument.body) return null;
    const tag = e.tagName;
    const like = [...parent.children].filter((c) => c.tagName === tag);
    // The number's own element is a row only when it is one (the host clicked a whole row): it has parts.
    const candidate = e !== el || el.children.length >= 2;
    if (candidate && like.length >= 2 && rowKey(e) !== '' && (e === el || rowKey(e) !== rowKey(el))) {
      // Rows of a list tell themselves apart by their key; a number alone in each sibling is no list of products.
      const keys = new Set(like.map(rowKey));
      if (keys.size === like.length) return e;
    }
  }
  return null;
}

export function locatorOf(el: Element): PageLocator {
  const row = rowOf(el);
  return {
    css: cssPath(el),
    row: row && row.parentElement ? { list: cssPath(row.parentElement), key: rowKey(row), inner: pathFrom(row, el) } : null,
  };
}

export function resolveLocator(doc: Document, loc: PageLocator): Element | null {
  if (!loc.row) return doc.querySelector(loc.css);
  const list = doc.querySelector(loc.row.list);
  const row = list ? [...list.children].find((r) => rowKey(r) === loc.row!.key) : undefined;
  if (!row) return null;
  return loc.row.inner ? row.querySelector(`:scope > ${loc.row.inner}`) : row;
}

/**
 * Whether `el`, found by `loc` before, is still what `loc` finds: in the page, and (in a list)
 * still inside a row of the same key — a list that reuses its row elements for other products
 * (a virtual list) puts another product's number in the same element. Cheaper than
 * resolveLocator (one row's text instead of every row's), for a page that changes many times a
 * second (a live console's comments) while the number does not.
 */
export function stillLocated(loc: PageLocator, el: Element): boolean {
  if (!el.isConnected) return false;
  if (!loc.row) return el.matches(loc.css);
  let row: Element | null = el;
  for (let i = loc.row.inner ? loc.row.inner.split(' > ').length : 0; i > 0 && row; i--) row = row.parentElement;
  return !!row && rowKey(row) === loc.row.key && !!row.parentElement?.matches(loc.row.list);
}
