// Finds the Electron executable WITHOUT downloading it. `require('electron')` would
// fetch the binary on first use (it cannot be downloaded on every machine), so scripts
// and tests use this instead and fall back or skip when it returns `missing`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The executable's path inside an Electron dist folder, as electron/install.js names it. */
export function electronExecutableName(platform = process.platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * @param {{ env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform | 'mas', root?: string }} [options]
 * @returns {{ path: string } | { missing: string }}
 */
export function findElectronBinary(options = {}) {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const root = options.root ?? repoRoot;

  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = path.join(override, electronExecutableName(platform));
    return isFile(executable)
      ? { path: executable }
      : { missing: `ELECTRON_OVERRIDE_DIST_PATH is set but ${executable} does not exist` };
  }

  const packageDir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(packageDir, 'package.json'))) {
    return { missing: 'the electron package is not installed (npm install)' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  let relative;
  try {
    relative = readFileSync(pathFile, 'utf8').trim();
  } catch {
    return { missing: 'the Electron binary was never downloaded (node_modules/electron/path.txt is absent)' };
  }
  if (relative === '') return { missing: 'node_modules/electron/path.txt is empty' };
  const executable = path.join(packageDir, 'dist', relative);
  return isFile(executable)
    ? { path: executable }
    : { missing: `node_modules/electron/dist/${relative} does not exist` };
}

// `node scripts/electron-path.mjs`: print the path, or the reason and exit 1.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = findElectronBinary();
  if ('path' in found) {
    console.log(found.path);
  } else {
    console.error(`Electron runtime not found (${found.missing}).`);
    process.exitCode = 1;
  }
}
