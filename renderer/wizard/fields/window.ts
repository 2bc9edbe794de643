import type { TransferWindow } from '../../../shared/domain/job.ts';

/**
 * The 7×24 transfer window as the grid edits it: per weekday (0 = Sunday) a mask of the
 * allowed hours (bit h: h:00 to h+1:00), as the definition stores it. No window at all
 * (`limited` off) means "any time".
 */

export const ALL_HOURS = 0xffffff;
export const DAYS = 7;
export const HOURS = 24;

export interface WindowDraft {
  /** Off: the job may transfer at any time (no window in the definition). */
  limited: boolean;
  /** Kept while `limited` is off, so switching it back on restores the grid. */
  masks: TransferWindow;
}

export interface Cell {
  day: number;
  hour: number;
}

export const allowAll = (): TransferWindow => Array.from({ length: DAYS }, () => ALL_HOURS);

export function windowDraftFrom(window: TransferWindow | undefined): WindowDraft {
  return window ? { limited: true, masks: [...window] } : { limited: false, masks: allowAll() };
}

/** The window the draft describes; undefined: any time. A grid with every hour allowed is no window either. */
export function windowFromDraft(draft: WindowDraft): TransferWindow | undefined {
  if (!draft.limited || draft.masks.every((mask) => mask === ALL_HOURS)) return undefined;
  return [...draft.masks];
}

export function isAllowed(masks: TransferWindow, { day, hour }: Cell): boolean {
  return ((masks[day]! >>> hour) & 1) === 1;
}

export const SUNDAY_FIRST = [0, 1, 2, 3, 4, 5, 6] as const;

/**
 * The masks with every cell of the rectangle between corners `a` and `b` set to
 * `allowed`. The rectangle is the one seen on the page: its rows are the days between
 * the corners' rows in `order` (the page's week, e.g. Monday first, where Saturday and
 * Sunday are neighbours).
 */
export function paintRect(masks: TransferWindow, a: Cell, b: Cell, allowed: boolean, order: readonly number[] = SUNDAY_FIRST): TransferWindow {
  const [rowA, rowB] = [order.indexOf(a.day), order.indexOf(b.day)];
  const days = new Set(order.slice(Math.min(rowA, rowB), Math.max(rowA, rowB) + 1));
  const [fromHour, toHour] = [Math.min(a.hour, b.hour), Math.max(a.hour, b.hour)];
  // Bits fromHour..toHour; >>> 0 keeps the mask a non-negative number.
  const bits = ((ALL_HOURS >>> (HOURS - 1 - toHour + fromHour)) << fromHour) >>> 0;
  return masks.map((mask, day) => (!days.has(day) ? mask : allowed ? (mask | bits) >>> 0 : (mask & ~bits) >>> 0));
}

/** Mondays to Fridays from 18:00 to 08:00, and the whole weekend: outside office hours. */
export function outsideOfficeHours(): TransferWindow {
  return paintRect(allowAll(), { day: 1, hour: 8 }, { day: 5, hour: 17 }, false);
}

/** The cell `delta` away (days down, hours right), kept inside the grid. */
export function moveCell({ day, hour }: Cell, deltaDay: number, deltaHour: number): Cell {
  return { day: Math.min(DAYS - 1, Math.max(0, day + deltaDay)), hour: Math.min(HOURS - 1, Math.max(0, hour + deltaHour)) };
}

/** The allowed hours of one day as [from, to) ranges, e.g. [[0, 8], [18, 24]]. */
export function allowedRanges(mask: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let hour = 0; hour < HOURS; hour++) {
    if (((mask >>> hour) & 1) === 0) continue;
    const last = ranges.at(-1);
    if (last && last[1] === hour) last[1] = hour + 1;
    else ranges.push([hour, hour + 1]);
  }
  return ranges;
}

const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** An hour range in words: "18:00 to 24:00". */
export function rangeWords([from, to]: [number, number]): string {
  return `${hourText(from)} to ${hourText(to)}`;
}

/**
 * The window in words, days with the same hours together, in `order` (weekday numbers
 * as the page shows them) with `dayName` naming each: "Monday to Friday: 00:00 to 08:00
 * and 18:00 to 24:00; Saturday and Sunday: any time".
 */
export function describeWindow(window: TransferWindow | undefined, order: readonly number[], dayName: (day: number) => string): string {
  if (!window || window.every((mask) => mask === ALL_HOURS)) return 'Any time.';
  if (window.every((mask) => mask === 0)) return 'Never: the window does not open.';
  const groups: { days: number[]; mask: number }[] = [];
  for (const day of order) {
    const mask = window[day]!;
    const last = groups.at(-1);
    if (last && last.mask === mask) last.days.push(day);
    else groups.push({ days: [day], mask });
  }
  const daysWords = (days: number[]) => {
    if (days.length === 1) return dayName(days[0]!);
    if (days.length === 2) return `${dayName(days[0]!)} and ${dayName(days[1]!)}`;
    return `${dayName(days[0]!)} to ${dayName(days.at(-1)!)}`;
  };
  const hoursWords = (mask: number) => {
    if (mask === ALL_HOURS) return 'any time';
    if (mask === 0) return 'closed';
    return allowedRanges(mask).map(rangeWords).join(' and ');
  };
  return `${groups.map((group) => `${daysWords(group.days)}: ${hoursWords(group.mask)}`).join('; ')}.`;
}

/**
 * Keyed `window`: an enabled job that runs by itself with a window that never opens would
 * wait forever, silently (the engine refuses it too, with the same words).
 */
export function windowErrors(draft: WindowDraft, runsByItself: boolean): Record<string, string> {
  const window = windowFromDraft(draft);
  if (runsByItself && window?.every((mask) => mask === 0)) {
    return { window: 'The transfer window never opens: allow at least one hour, or disable the job.' };
  }
  return {};
}
