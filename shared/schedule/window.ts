import type { TransferWindow } from '../domain/job.ts';

/**
 * The 7×24 transfer window: per local weekday (0 = Sunday) a mask of the hours in which a
 * job may transfer (bit h: h:00 to h+1:00). A repeated hour (fall back) is governed by
 * its bit both times; a skipped one never occurs.
 */

const ALL_HOURS = 0xffffff;
const STEP = 30 * 60_000;
/** A window open a single hour a week opens within two weeks even when DST skips that hour once. */
const HORIZON = 15 * 86_400_000;

/** Whether the 7×24 transfer window allows transfer at `at` (no window: always). */
export function windowOpenAt(window: TransferWindow | undefined, at: Date): boolean {
  if (!window) return true;
  return ((window[at.getDay()]! >>> at.getHours()) & 1) === 1;
}

/** When the window next opens or closes after `at`; null when it never changes (always open, or never open). */
export function nextWindowChange(window: TransferWindow | undefined, at: Date): Date | null {
  if (!window || window.every((mask) => mask === 0) || window.every((mask) => mask === ALL_HOURS)) return null;
  const open = windowOpenAt(window, at);
  // Every local hour lasts at least half an hour (30-minute DST shifts), so steps of half an
  // hour see every change; the exact moment is then found between the last two steps.
  for (let before = at.getTime(); before - at.getTime() < HORIZON; before += STEP) {
    let after = before + STEP;
    if (windowOpenAt(window, new Date(after)) === open) continue;
    while (after - before > 1) {
      const middle = Math.floor((before + after) / 2);
      if (windowOpenAt(window, new Date(middle)) === open) before = middle;
      else after = middle;
    }
    return new Date(after);
  }
  return null;
}
