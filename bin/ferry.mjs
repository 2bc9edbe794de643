#!/usr/bin/env node
// The engine's sources are TypeScript run directly by Node's type stripping (Node 24+).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`ferry: Node.js 24 or newer is needed (this is ${process.version}).\n`);
  process.exit(1);
}
await import('../app/cli/main.ts');
