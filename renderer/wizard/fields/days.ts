/**
 * Weekday names and order in the OS locale (0 = Sunday, as the definition numbers them).
 * January 4th, 1970 was a Sunday.
 */

function weekdayName(day: number, style: 'long' | 'short', locale?: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(1970, 0, 4 + day)));
}

export const dayName = (day: number, locale?: string) => weekdayName(day, 'long', locale);
export const shortDayName = (day: number, locale?: string) => weekdayName(day, 'short', locale);

/** The locale's first day of the week (Intl's weekInfo where the browser has it; Monday otherwise). */
export function weekOrder(locale?: string): number[] {
  let first = 1;
  try {
    const info = new Intl.Locale(locale ?? new Intl.DateTimeFormat().resolvedOptions().locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    first = (info.getWeekInfo?.() ?? info.weekInfo)?.firstDay ?? 1;
  } catch {
    // An unknown locale: Monday, as ISO 8601.
  }
  const start = first % 7;
  return Array.from({ length: 7 }, (_, index) => (start + index) % 7);
}

/** Month names in the OS locale (0 = January). */
export function monthName(month: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month, 1)));
}
