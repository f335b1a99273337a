// Dates on the page: the cursor is a calendar day ("YYYY-MM-DD", which the API reads as the end of that day in
// its legal time zone); positions on the axis are milliseconds since the epoch.

export const day = 86_400_000;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(text: string): boolean {
  const match = datePattern.exec(text);
  return match !== null && !Number.isNaN(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!));
}

/** The day of an instant, in UTC. */
export function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Where a day's cursor sits: the end of that day (UTC, close enough at any zoom where a day is visible). */
export function endOfDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) + day;
}

/** The day whose end is nearest to a position on the axis. */
export function dateNearest(ms: number): string {
  return dateOf(Math.round(ms / day) * day - day);
}

export function addDays(date: string, days: number): string {
  return dateOf(endOfDay(date) - day + days * day);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return dateOf(d.getTime());
}

export function today(): string {
  return dateOf(Date.now());
}

/** An instant as people read it: "2025-01-20 05:00 UTC" (seconds only when they matter). */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) {
    return "—";
  }
  const text = new Date(iso).toISOString();
  const seconds = text.slice(17, 19) === "00" ? "" : text.slice(16, 19);
  return `${text.slice(0, 10)} ${text.slice(11, 16)}${seconds} UTC`;
}

/** The value of a datetime-local input (the browser's local time) as an RFC 3339 instant for the API. */
export function localInputToInstant(value: string): string | null {
  if (!value) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
