#!/usr/bin/env node
// The engine's sources are TypeScript run directly by Node's type stripping (Node 24+).
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`ferry: Node.js 24 or newer is needed (this is ${process.version}).\n`);
  process.exit(1);
}
// Keeps the compiled, type-stripped modules on disk (in the temporary folder): later
// commands start ~0.2 s sooner and without the type stripper's ~30 MiB of memory.
module.enableCompileCache();
await import('../app/cli/main.ts');
