const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/**
 * Human-readable size in decimal units (what drive vendors and OS file managers on
 * macOS and Linux show). Three significant digits at most, never "1000 KB".
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const POWERS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * A size typed by a person: "500", "20M", "20 MB", "1.5GiB", "64k" (decimal units, or
 * binary ones with "i"; a trailing "/s" is allowed for rates). Undefined when unreadable.
 */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtpe]?)(i?)b?\s*(?:\/\s*s)?\s*$/i.exec(text);
  if (!match) return undefined;
  const [, value, prefix = '', binary] = match;
  const power = POWERS[prefix.toUpperCase()]!;
  const base = binary && prefix ? 1024 ** Math.round(Math.log10(power) / 3) : power;
  return Math.round(Number(value) * base);
}
