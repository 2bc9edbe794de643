/**
 * The console's Content-Security-Policy, one definition for every host: Electron main
 * sends it as a header, `serve` too (plus the directives only HTTP honours), and
 * renderer/index.html carries the same as a meta tag for file:// pages.
 * Inline styles are allowed because MUI's emotion injects them; scripts never.
 */
export const CONSOLE_CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
];

/** Directives a meta tag cannot carry, for hosts that send the policy as a header. */
export const HEADER_ONLY_CSP_DIRECTIVES: readonly string[] = ["frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"];

export function contentSecurityPolicy(directives: readonly string[] = CONSOLE_CSP_DIRECTIVES): string {
  return directives.join('; ');
}
