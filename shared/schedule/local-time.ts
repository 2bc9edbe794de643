/**
 * Local wall-clock arithmetic (the process's time zone) with the DST rules of the
 * scheduler: a wall-clock time that does not exist (spring forward) is the first moment
 * after it, one that exists twice (fall back) is its first occurrence. zonedDayNumber
 * reads the calendar date of any IANA zone (retention's GFS periods).
 */

const DAY = 86_400_000;
/** How far back a skipped wall-clock time's moment may lie (the longest gap: a whole day). */
const LONGEST_GAP = 26 * 3_600_000;

/** The process's IANA time zone: the engine's, in which schedules, GFS periods and health checks are counted. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The local calendar date of `at` as days since 1970-01-01. */
export function localDayNumber(at: Date): number {
  return Date.UTC(at.getFullYear(), at.getMonth(), at.getDate()) / DAY;
}

/** 0 = Sunday for a day number of localDayNumber (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** The local wall-clock value of `at` (its fields read as if UTC), to compare wall-clock times. */
function wallValue(at: Date): number {
  return Date.UTC(at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes(), at.getSeconds(), at.getMilliseconds());
}

/**
 * The moment the local clock shows this date and time (day may overflow the month);
 * skipped: the first moment after it; repeated: the first occurrence.
 */
export function wallClock(dayNumber: number, hours: number, minutes: number, seconds = 0, ms = 0): Date {
  // Date resolves a repeated time to its first occurrence and a skipped one to a moment past the gap.
  const guess = new Date(1970, 0, 1 + dayNumber, hours, minutes, seconds, ms);
  if (guess.getHours() === hours && guess.getMinutes() === minutes && guess.getSeconds() === seconds && localDayNumber(guess) === dayNumber) return guess;
  // Skipped: the earliest moment whose wall clock reaches the wanted time is the end of the gap.
  const wanted = dayNumber * DAY + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
  let before = guess.getTime() - LONGEST_GAP;
  let after = guess.getTime();
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallValue(new Date(middle)) >= wanted) after = middle;
    else before = middle;
  }
  return new Date(after);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date of `at` in an IANA time zone as days since 1970-01-01 (localDayNumber
 * for any zone, not only the process's). Throws RangeError for an unknown zone.
 */
export function zonedDayNumber(at: Date, timeZone: string): number {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dateFormats.set(timeZone, format);
  }
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  return Date.UTC(year, month - 1, day) / DAY;
}

/** The date of a day number, YYYY-MM-DD. */
export function dayLabel(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10);
}
