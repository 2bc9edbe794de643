// Bundles the engine into dist/engine/: the utility-process entry and the entries of the
// threads it starts, for Electron (and the packaged app), and the command line
// (dist/engine/ferry.mjs). The CLI's bundle starts ~0.05 s sooner and with ~12 MiB less
// memory than bin/ferry.mjs, which loads every module (its own and zod's) file by file; the
// benchmarks measure it. Parts a command loads when it runs (the AWS SDK, the console
// server) stay in chunks of their own, loaded as lazily as from the sources.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const outdir = 'dist/engine';
await rm(outdir, { recursive: true, force: true });

const common = {
  outdir,
  bundle: true,
  platform: 'node',
  sourcemap: true,
  // `ws` optionally requires native speed-ups; it works without them.
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: { utility: 'app/host/utility.ts', 'restore-worker': 'app/restore/restore-worker.ts' },
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    target: 'node22',
    // CommonJS has no import.meta: the engine finds files beside itself (a thread's script) by it.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  }),
  build({
    ...common,
    entryPoints: { ferry: 'bin/ferry.mjs' },
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    splitting: true,
    chunkNames: 'cli-[name]-[hash]',
    target: 'node24',
    // Dependencies written as CommonJS require Node's built-ins, which ESM has no `require` for.
    banner: { js: 'import { createRequire as ferryCreateRequire } from "node:module"; const require = ferryCreateRequire(import.meta.url);' },
  }),
]);
