// Where a Ferry command spends its time: `node bench/profile-top.ts <file.cpuprofile> [top]`.
// Reads a V8 CPU profile (node --cpu-prof, or `node bench/run.ts --cpu-prof`) and prints the
// functions with the most self time, the most inclusive time, and self time by source file.
// `--callers <function name>`: also the call paths (5 frames up) that lead to that function.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const callersAt = args.indexOf('--callers');
const callersOf = callersAt >= 0 ? args.splice(callersAt, 2)[1] : undefined;
const [file, topArg] = args;
process.stdout.on('error', () => process.exit(0)); // e.g. piped into head
if (!file) {
  process.stderr.write('usage: node bench/profile-top.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, k) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0)));
const total = profile.endTime - profile.startTime;

const where = (node: ProfileNode) => {
  const { url, lineNumber } = node.callFrame;
  if (!url) return '';
  const short = url.includes('/app/') || url.includes('/shared/') ? url.slice(url.search(/\/(app|shared)\//) + 1) : path.basename(url);
  return `${short}:${lineNumber + 1}`;
};
const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${where(node)}`.trim();

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + micros);
  const url = node.callFrame.url;
  const fileKey = url ? where(node).replace(/:\d+$/, '') : `(${node.callFrame.functionName || 'native'})`;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + micros);
  // inclusive: once per distinct function on the stack
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at)!);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
  }
}

const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(micros / 1000).toFixed(0).padStart(8)} ms ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s profiled, ${profile.samples.length} samples (main thread only)\n`);
print('Self time by function', self);
print('Self time by source file', byFile);
print('Inclusive time by function', inclusive);

if (callersOf) {
  const paths = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(label(byId.get(at)!));
    const at = stack.findIndex((name) => name.startsWith(`${callersOf} `) || name === callersOf);
    if (at < 0) continue;
    const key = stack.slice(at, at + 6).join(' ← ');
    paths.set(key, (paths.get(key) ?? 0) + micros);
  }
  print(`Call paths into ${callersOf} (time spent inside it)`, paths);
}
