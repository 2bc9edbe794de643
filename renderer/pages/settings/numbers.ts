/** A whole number typed by a person ("25", " 1 440 " is not one), or null when it is not one. */
export function parseWhole(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : null;
}

/** A decimal number typed with a point or the locale's comma ("2.5", "2,5"), or null. */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  return /^\d{1,12}(\.\d{1,6})?$/.test(trimmed) ? Number(trimmed) : null;
}

/** Field messages: the first per field, as a form shows them. */
export type Fields = Record<string, string>;

/** A draft's check: the value to send, or the message of each field at fault. */
export type Checked<T> = { ok: true; value: T } | { ok: false; fields: Fields };
