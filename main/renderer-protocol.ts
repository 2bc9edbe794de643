import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CONSOLE_CSP_HEADER } from '../shared/security/csp.ts';
import { contentTypeFor } from '../shared/util/content-types.ts';

/*
 * The console is served to the window from a privileged custom scheme, ferry://app/,
 * not from file:// (Electron's security checklist, item 18): the page gets a real
 * origin of its own, file:// pages get no extra privileges (the
 * grantFileProtocolExtraPrivileges fuse is off), and only files inside the built
 * renderer folder can be loaded. main.ts registers the scheme before ready and handles
 * it with rendererProtocolHandler.
 */

export const RENDERER_SCHEME = 'ferry';
export const RENDERER_HOST = 'app';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_ENTRY_URL = `${RENDERER_ORIGIN}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged: standard (an origin, relative URLs), secure
 * (a secure context, like https), fetch for the page's own files. Not corsEnabled (no
 * other origin may read from it), not bypassCSP, no service workers.
 */
export const RENDERER_SCHEME_PRIVILEGES = {
  scheme: RENDERER_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/**
 * The file under `root` a request URL names, or undefined. Refused: another scheme,
 * host, port or credentials; encoded separators (%2F, %5C) and backslashes; `..` or `.`
 * segments, encoded or not; NUL; anything that resolves, through links, outside root.
 */
export async function rendererFileFor(root: string, requestUrl: string): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${RENDERER_SCHEME}:` || url.hostname.toLowerCase() !== RENDERER_HOST || url.port !== '') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  const raw = url.pathname;
  if (/%(2f|5c|00)/i.test(raw) || raw.includes('\\')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.includes('\0') || segment.includes(':'))) return undefined;
  const relative = decoded === '/' ? 'index.html' : segments.join(path.sep);
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return undefined;
  const file = path.resolve(realRoot, relative);
  if (!isInside(file, realRoot)) return undefined;
  try {
    const real = await realpath(file);
    if (!isInside(real, realRoot) || !(await stat(real)).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** protocol.handle's handler for RENDERER_SCHEME: the built console's files, with the console's CSP. */
export function rendererProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = { 'Content-Security-Policy': CONSOLE_CSP_HEADER, 'X-Content-Type-Options': 'nosniff' };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { ...headers, Allow: 'GET, HEAD' } });
    }
    const file = await rendererFileFor(root, request.url);
    if (!file) return new Response('Not found', { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': contentTypeFor(path.extname(file)) } });
  };
}
