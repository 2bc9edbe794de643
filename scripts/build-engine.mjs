// Bundles the engine's utility-process entry into one file for Electron (and the packaged app).
import { build } from 'esbuild';

await build({
  entryPoints: ['app/host/utility.ts'],
  outfile: 'dist/engine/utility.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  // `ws` optionally requires native speed-ups; it works without them.
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
});
