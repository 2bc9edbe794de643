import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeFor } from '../../shared/util/content-types.ts';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Resolves a URL path to a file below `root`, or undefined. Decoded names that would
 * leave the root (`..`, absolute paths, NUL) are refused rather than normalised.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split(/[\\/]/).includes('..')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.resolve(root) + path.sep)) return undefined;
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return {
      body: await readFile(file),
      contentType: contentTypeFor(path.extname(file)),
    };
  } catch {
    return undefined;
  }
}
