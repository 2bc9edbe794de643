/**
 * Orders strings by UTF-16 code unit, as Array.prototype.sort does by default: for ids and
 * ISO timestamps, where a locale has no say (and localeCompare's first call sets up ICU's
 * collator, ~9 ms of a command's start).
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
