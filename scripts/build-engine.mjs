// Bundles the engine's utility-process entry, and the entries of the threads it starts,
// into dist/engine/ for Electron (and the packaged app).
import { build } from 'esbuild';

await build({
  entryPoints: { utility: 'app/host/utility.ts', 'restore-worker': 'app/restore/restore-worker.ts' },
  outdir: 'dist/engine',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  // CommonJS has no import.meta: the engine finds files beside itself (a thread's script) by it.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  // `ws` optionally requires native speed-ups; it works without them.
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
});
