/**
 * Which URLs are "our page". Pure (no Electron), so the checks are unit-testable.
 *
 * The console is either the built renderer served from the app's own scheme
 * (ferry://app/index.html, main/renderer-protocol.ts), or, in development only, a
 * loopback dev server (FERRY_RENDERER_URL).
 */

export type RendererLocation =
  | { readonly kind: 'app'; readonly url: string }
  | { readonly kind: 'dev-server'; readonly url: string };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev-server URL from FERRY_RENDERER_URL, if it is an http(s) URL on a loopback
 * host; anything else is refused (a message says why), so an environment variable can
 * never point the window, and its bridge to the keychain, at a remote site.
 */
export function parseDevServerUrl(value: string | undefined): { url: string } | { error: string } | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const url = parse(value.trim());
  if (!url) return { error: `FERRY_RENDERER_URL is not a URL: ${value}` };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `FERRY_RENDERER_URL must be http(s): ${value}` };
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return { error: `FERRY_RENDERER_URL must point at a loopback host (localhost, 127.0.0.1, [::1]): ${value}` };
  }
  if (url.username !== '' || url.password !== '') {
    return { error: 'FERRY_RENDERER_URL must not carry credentials.' };
  }
  return { url: url.href };
}

/**
 * True when `url` is our page: the same scheme, host and path as the location (query
 * and fragment ignored) for the app's scheme, the same origin for the dev server.
 */
export function isRendererUrl(url: string, location: RendererLocation): boolean {
  const candidate = parse(url);
  const expected = parse(location.url);
  if (!candidate || !expected) return false;
  if (location.kind === 'dev-server') {
    return candidate.origin === expected.origin && candidate.origin !== 'null';
  }
  // A custom scheme's URL has an opaque origin in Node's URL: compare its parts.
  return (
    candidate.protocol === expected.protocol &&
    candidate.host === expected.host &&
    candidate.username === '' &&
    candidate.password === '' &&
    candidate.pathname === expected.pathname
  );
}

/**
 * The sites a link in the console may open in the default browser (shell.openExternal):
 * Ferry's own documentation. Anything else, even https, is refused: opening a URL hands
 * it to whatever the OS registered for it, so a page script must not choose it.
 */
export const EXTERNAL_ORIGINS: ReadonlySet<string> = new Set(['https://ferry.dev', 'https://www.ferry.dev']);

/** A link the page tries to open in a new window: only https on EXTERNAL_ORIGINS goes to the browser. */
export function externalUrlToOpen(url: string): string | undefined {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'https:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return EXTERNAL_ORIGINS.has(parsed.origin) ? parsed.href : undefined;
}
