/**
 * The console's Content-Security-Policy, one definition for every host. Inline styles
 * are allowed because MUI's emotion injects them; scripts never. `connect-src 'self'`
 * lets the page reach only its own origin: in the desktop app (ferry://app) that is no
 * network at all, not even a WebSocket; under `serve` it is the host's own /rpc
 * WebSocket (CSP Level 3 matches ws: and wss: on the page's host and port to 'self').
 */
export const CONSOLE_CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** Directives a meta tag cannot carry, for hosts that send the policy as a header. */
export const HEADER_ONLY_CSP_DIRECTIVES: readonly string[] = ["frame-ancestors 'none'"];

export function contentSecurityPolicy(directives: readonly string[] = CONSOLE_CSP_DIRECTIVES): string {
  return directives.join('; ');
}

/** The policy as a header: renderer/index.html's meta tag and the header together. */
export const CONSOLE_CSP_HEADER = contentSecurityPolicy([...CONSOLE_CSP_DIRECTIVES, ...HEADER_ONLY_CSP_DIRECTIVES]);

