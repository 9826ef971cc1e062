// Calendar days as `YYYY-MM-DD` strings: adding days, counting them, and today in a given IANA
// time zone (the tenant's: the server reads date ranges in its zone, not in the browser's).

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
};
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export const addDays = (date: string, n: number) => dateOf(dayNumber(date) + n);

/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;

/** The browser's own date at `nowMs` (the fallback when the zone is unknown). */
function browserDay(nowMs: number): string {
  const d = new Date(nowMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The date at `nowMs` in the IANA zone `zone` (e.g. the tenant's `Asia/Shanghai`); the browser's
 * date when the zone is missing or unknown to this browser.
 */
export function zonedToday(zone: string | null | undefined, nowMs: number = Date.now()): string {
  if (!zone) return browserDay(nowMs);
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(nowMs));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  } catch {
    return browserDay(nowMs);
  }
}
