/**
 * A harvest date (`YYYY-MM-DD`, checked by the product schema) as the card says it in the
 * viewer's language: "9月12日采摘", "picked 12 Sep", "cueilli le 12 sept.". The words' template
 * places the day {d} and the month {m} as the language shortens it ("9月", "Sep", "sept."), from
 * Intl in the overlay's language (no month table in the bundle), read in UTC so the day never
 * shifts with the OBS machine's time zone. The year is left out: it is this season's produce.
 * The presale badge's ship date ("预售 · 9月20日发货") goes through here too, with its own template.
 */
export function harvestText(date: string, template: string, lang: string): string {
  const [, m = 1, d = 1] = date.split('-').map(Number);
  const month = new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2000, m - 1, 1));
  return template.replace('{d}', String(d)).replace('{m}', month);
}
