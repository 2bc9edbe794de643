// Builds the console for `npm run serve` when dist/renderer is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newest(folder) {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

const builtAt = statSync('dist/renderer/index.html', { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (builtAt < Math.max(newest('renderer'), newest('shared'))) {
  console.log('Building the console…');
  const result = spawnSync('npm', ['run', '--silent', 'build:renderer'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
