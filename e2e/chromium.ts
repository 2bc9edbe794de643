/** Debian's Chromium unless FERRY_CHROMIUM names another build (never a downloaded one). */
export function chromiumExecutable(): string {
  return process.env['FERRY_CHROMIUM'] || '/usr/bin/chromium';
}
