/**
 * A calendar day (`YYYY-MM-DD`, as the product schema keeps it) the way the console's language
 * writes a day: "9月20日", "Sep 20", "20 sept.". Read in UTC so the day never shifts with the
 * host's time zone; the year is left out when it is the current one (a presale ships this season)
 * and kept otherwise, so a date a year off is not misread.
 */
export function dayText(date: string, locale: string, now: number = Date.now()): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const at = Date.UTC(y, m - 1, d);
  const sameYear = new Date(now).getUTCFullYear() === y;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...(!sameYear && { year: 'numeric' }), timeZone: 'UTC' }).format(at);
}
