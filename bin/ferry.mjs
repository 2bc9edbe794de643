#!/usr/bin/env node
// The engine's sources are TypeScript run directly by Node's type stripping (Node 24+).
import './node-check.mjs';
import module from 'node:module';

// Keeps the compiled, type-stripped modules on disk (in the temporary folder): later
// commands start ~0.2 s sooner and without the type stripper's ~30 MiB of memory.
module.enableCompileCache();
// Before the CLI is loaded: a data command starts again with huge pages (see huge-pages.ts).
const { hugePagesRestart, transparentHugePages } = await import('../app/cli/huge-pages.ts');
const restart = hugePagesRestart(process.platform, process.env, process.argv[2], transparentHugePages);
try {
  if (restart) process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], restart);
} catch {
  // execve(2) refused: this process runs on as it is, without huge pages.
}
await import('../app/cli/main.ts');
