import { readFileSync } from 'node:fs';

/** Read once from package.json; bundlers replace FERRY_VERSION at build time. */
declare const FERRY_VERSION: string | undefined;

export const VERSION: string =
  typeof FERRY_VERSION === 'string'
    ? FERRY_VERSION
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
