/**
 * The units-sold number as the seller consoles show it (issue 13, the seller-page reader):
 * Douyin's, Kuaishou's and Taobao's live consoles write `12,345`, `1.2万`, `3.5w`, `已售 3,210 件`,
 * `Sold 1.2K`, `10万+`, sometimes in full-width digits. The content script reads the text of the
 * element the host bound and this turns it into whole units, or null when the text holds no
 * such number (a placeholder, "--", two unrelated numbers and no "sold" word to choose by).
 *
 * `exact: false` when the console rounded: `1.2万` is somewhere from 12,000 to 12,999, `10万+`
 * at least 100,000. `units` is then the lower bound — the reader never counts a unit the
 * console has not shown, and counts the rest when the number moves on (1.2万 → 1.3万: +1,000).
 * Pure; no DOM.
 */

export interface SoldCount {
  units: number;
  /** false: the console shows a rounded or open-ended figure and `units` is its lower bound. */
  exact: boolean;
}

const MULTIPLIERS: Record<string, number> = {
  万: 10_000,
  w: 10_000,
  W: 10_000,
  千: 1_000,
  k: 1_000,
  K: 1_000,
  亿: 100_000_000,
  m: 1_000_000,
  M: 1_000_000,
};

/** Full-width digits and punctuation (０-９，．＋) as their ASCII forms; the thousands spaces as nothing. */
function normalise(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\uFF0C/g, ',')
    .replace(/\uFF0E/g, '.')
    .replace(/\uFF0B/g, '+')
    // French and SI grouping: 12 345 with a (narrow) no-break space between groups of three.
    .replace(/(\d)[\u00A0\u202F\u2009](?=\d{3}(?!\d))/g, '$1');
}

/**
 * A number: digits with optional `,` thousands groups, an optional decimal part, an optional
 * multiplier (万 w k 千 亿 m), an optional `+`. The multiplier must not run into a word
 * (`3.5w` yes, `5kg` no: a weight is not a count).
 */
const NUMBER = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(万|千|亿|[wWkKmM](?![A-Za-z]))?\s?(\+)?/g;
/** Words next to the units-sold figure, to choose it among other numbers (a price, a stock count). */
const SOLD_WORD = /已售|已卖|售出|销量|已抢|sold/i;

interface Found {
  count: SoldCount;
  index: number;
  end: number;
}

function toCount(m: RegExpExecArray): SoldCount | null {
  const [, whole, fraction = '', unit, plus] = m;
  if (!unit && fraction) return null; // 59.9 is a price or a weight, not a count of units
  const multiplier = unit ? MULTIPLIERS[unit]! : 1;
  // Integer arithmetic: 1.2万 = (1 × 10 + 2) × 10,000 / 10, never 1.2 × 10,000 in floating point.
  const kept = fraction.slice(0, 8);
  const scale = 10 ** kept.length;
  const units = Math.floor((Number(whole!.replace(/,/g, '')) * scale + Number(kept || 0)) * multiplier / scale);
  if (!Number.isSafeInteger(units)) return null;
  return { units, exact: multiplier === 1 && !plus };
}

export function parseSoldCount(text: string): SoldCount | null {
  const s = normalise(text);
  const found: Found[] = [];
  for (const m of s.matchAll(NUMBER)) {
    const count = toCount(m);
    // A price (¥59, 59元) or a weight is not a candidate.
    const rest = s.slice(m.index! + m[0].length);
    const priced = /[¥$€£￥]\s*$/.test(s.slice(0, m.index)) || /^\s*[元块円]/.test(rest);
    // 5kg, 500g, 2斤: a weight; 3x: a multiplier.
    const measured = m[3] === undefined && /^\s*(?:kg|g|mg|l|ml|lbs?|oz|x|斤|克|公斤|毫升)(?![A-Za-z])/i.test(rest);
    if (count && !priced && !measured) found.push({ count, index: m.index!, end: m.index! + m[0].length });
  }
  if (found.length === 1) return found[0]!.count;
  if (found.length === 0) return null;
  // Several: the one nearest after (or else before) a "sold" word.
  const word = SOLD_WORD.exec(s);
  if (!word) return null;
  const after = found.find((f) => f.index >= word.index);
  const before = [...found].reverse().find((f) => f.end <= word.index);
  return (after ?? before)!.count;
}
