/**
 * Characters a terminal acts on rather than shows: C0 controls, DEL, C1 controls (0x9b
 * starts an escape sequence on some terminals as ESC [ does), and the Unicode marks that
 * reorder or hide text (bidi overrides and isolates). Names in a repository are
 * untrusted: printed raw, a file name could retitle the window, rewrite the screen or
 * make a line read differently from what it says.
 */
function isActiveCharacter(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function escapeOne(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x09) return '\\t';
  if (code === 0x0d) return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with the active characters `escape` takes replaced (unchanged, and not copied, when there are none). */
function escapeWhere(text: string, escape: (code: number) => string | undefined): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isActiveCharacter(code)) continue;
    const escaped = escape(code);
    if (escaped === undefined) continue;
    out += text.slice(from, i) + escaped;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Text for a terminal or a log: what a terminal would act on is shown escaped (\x1b); line breaks and tabs stay. */
export function escapeForTerminal(text: string): string {
  return escapeWhere(text, (code) => (code === 0x0a || code === 0x09 ? undefined : escapeOne(code)));
}

/** A name (a path, a workload) on one line: line breaks and tabs escaped too. */
export function escapeName(name: string): string {
  return escapeWhere(name, escapeOne);
}

/**
 * JSON with the same escaping: what JSON.stringify leaves raw (C1 controls, bidi marks)
 * as \u escapes, which parse back to the same text.
 */
export function jsonForTerminal(value: unknown): string {
  // JSON.stringify escapes C0 itself and line breaks outside strings must stay.
  return escapeWhere(JSON.stringify(value, null, 2), (code) => (code < 0x20 ? undefined : `\\u${code.toString(16).padStart(4, '0')}`));
}
