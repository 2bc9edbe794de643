import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-during-put.ts');

/** Runs crash-during-put.ts: a put killed between the temporary file and the rename. */
export function crashDuringPut(root: string, key: string, size: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, root, key, String(size)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk) => (stderr += chunk));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => (signal ? resolve(signal) : reject(new Error(`child exited with ${code}: ${stderr}`))));
  });
}
