// Bundles the Electron main process and the preload (main/) into dist/main/.
//   main/main.ts    → dist/main/main.cjs     (package.json "main")
//   main/preload.ts → dist/main/preload.cjs  (sandboxed: may require only 'electron')
//   main/tray*.png  → dist/main/             (the tray icon, made by build/make-icon.mjs)
import { copyFile, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  external: ['electron'],
  logLevel: 'warning',
  metafile: true,
};

const [mainResult, preloadResult] = await Promise.all([
  build({ ...common, entryPoints: ['main/main.ts'], outfile: 'dist/main/main.cjs' }),
  build({ ...common, entryPoints: ['main/preload.ts'], outfile: 'dist/main/preload.cjs' }),
]);

// A sandboxed preload cannot require anything but 'electron' (and a few polyfilled
// builtins): fail the build if the bundle needs more.
const allowedInPreload = new Set(['electron']);
const preloadImports = Object.values(preloadResult.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((entry) => entry.external && !allowedInPreload.has(entry.path));
if (preloadImports.length > 0) {
  const names = [...new Set(preloadImports.map((entry) => entry.path))].join(', ');
  console.error(`build-main: the sandboxed preload may require only 'electron', but it requires: ${names}`);
  process.exit(1);
}
const preloadCode = await readFile(new URL('../dist/main/preload.cjs', import.meta.url), 'utf8');
const requires = [...preloadCode.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
const unexpected = requires.filter((name) => !allowedInPreload.has(name));
if (unexpected.length > 0) {
  console.error(`build-main: dist/main/preload.cjs requires ${[...new Set(unexpected)].join(', ')}; only 'electron' is allowed.`);
  process.exit(1);
}

for (const icon of ['tray.png', 'tray@2x.png']) await copyFile(new URL(`../main/${icon}`, import.meta.url), new URL(`../dist/main/${icon}`, import.meta.url));

const size = (result) =>
  Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.cjs'))
    .map(([file, output]) => `${file} ${(output.bytes / 1024).toFixed(1)} KiB`);
console.log(`build-main: ${[...size(mainResult), ...size(preloadResult)].join(', ')}`);
