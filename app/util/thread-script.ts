/**
 * Where a worker thread's script is: its TypeScript source (`source`, resolved by the
 * caller against its own module) when the engine runs from its sources, else the
 * bundle's `<name>.cjs` beside the engine's bundle (see scripts/build-engine.mjs).
 */
export function threadScript(source: URL, name: string): URL {
  return import.meta.url.endsWith('.ts') ? source : new URL(`./${name}.cjs`, import.meta.url);
}
