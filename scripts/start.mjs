// `npm start`: the desktop app when an Electron runtime is present, else the headless
// console (`ferry serve`) with the same arguments, e.g.
//   npm start -- --data-dir=/tmp/ferry
// What it runs is built first only when missing or older than its sources.
import '../bin/node-check.mjs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';
import { findElectronBinary } from './electron-path.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const found = findElectronBinary();
const built = buildIfNeeded(root, 'path' in found ? ['renderer', 'main', 'engine'] : ['renderer']);
if (built !== 0) process.exit(built);

if ('path' in found) {
  const env = { ...process.env };
  // Set, it would make Electron run as plain Node instead of the app.
  delete env.ELECTRON_RUN_AS_NODE;
  run(found.path, ['.', ...args], env);
} else {
  console.error(`Electron runtime not found (${found.missing}); starting the headless console instead.`);
  run(process.execPath, [path.join(root, 'app', 'cli', 'main.ts'), 'serve', ...args], process.env);
}

/** Runs the child in the foreground, forwards termination signals, exits with its status. */
function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, env, stdio: 'inherit', windowsHide: false });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward);
    if (signal) {
      // Die the same way, so callers see the signal.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}
