// Builds what is missing or older than its sources, and nothing else: `npm run serve`
// needs the console (the default), `npm start` with Electron also the main process and
// the engine's bundle. `node scripts/build-if-needed.mjs [renderer] [main] [engine]`
import '../bin/node-check.mjs';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Each build: the file it makes (its time is the build's), what it is made from, its npm script. */
export const BUILDS = {
  renderer: { what: 'the console', output: 'dist/renderer/index.html', inputs: ['renderer', 'shared', 'vite.config.ts'], script: 'build:renderer' },
  main: { what: 'the main process', output: 'dist/main/main.cjs', inputs: ['main', 'shared', 'scripts/build-main.mjs'], script: 'build:main' },
  engine: { what: 'the engine', output: 'dist/engine/utility.cjs', inputs: ['app', 'shared', 'bin', 'scripts/build-engine.mjs'], script: 'build:engine' },
};
/** Inputs of every build: an installed dependency changes the lock file. */
const COMMON_INPUTS = ['package-lock.json'];

const modified = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** The newest modification time of a file, or of the files under a folder (0: absent). */
function newest(entry) {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (!info?.isDirectory()) return info?.mtimeMs ?? 0;
  let latest = 0;
  for (const item of readdirSync(entry, { withFileTypes: true, recursive: true })) {
    if (item.isFile()) latest = Math.max(latest, modified(path.join(item.parentPath, item.name)));
  }
  return latest;
}

/** The builds among `names` whose output is missing or older than one of their inputs. */
export function staleBuilds(root, names) {
  return names.filter((name) => {
    const build = BUILDS[name];
    const builtAt = modified(path.join(root, build.output));
    return builtAt === 0 || [...build.inputs, ...COMMON_INPUTS].some((input) => newest(path.join(root, input)) > builtAt);
  });
}

const npmRun = (root) => (script) => spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

/** Runs the stale builds in turn; the exit status of the first that fails, else 0. */
export function buildIfNeeded(root, names, run = npmRun(root), say = (line) => console.log(line)) {
  for (const name of staleBuilds(root, names)) {
    say(`Building ${BUILDS[name].what}…`);
    const status = run(BUILDS[name].script);
    if (status !== 0) return status;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(name in BUILDS));
  if (unknown.length > 0) {
    console.error(`Unknown build: ${unknown.join(', ')} (known: ${Object.keys(BUILDS).join(', ')}).`);
    process.exit(2);
  }
  process.exit(buildIfNeeded(root, names.length > 0 ? names : ['renderer']));
}
