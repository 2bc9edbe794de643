// The benchmark's dataset: a deterministic ~1 GiB folder tree (state 1) and a ~5% change
// of it (state 2). Every byte is a function of the seed: file contents come from AES-256-CTR
// keystreams keyed by SHA-256(seed, label), so two runs (or two machines) back up the same
// bytes, and a file can be rewritten from its spec alone (how state 2 is undone).
import { createCipheriv, createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open, readdir, lstat } from 'node:fs/promises';
import path from 'node:path';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Bumped whenever the generator's output changes, so that a cached tree is rebuilt. */
export const GENERATOR_VERSION = 3;

// ---------------------------------------------------------------------------------------
// Deterministic randomness

const ZERO = Buffer.alloc(4 * MiB);

/** An AES-256-CTR keystream: fast (GB/s) seeded random bytes, plus numbers drawn from it. */
export class Stream {
  private readonly cipher;
  private pool = Buffer.alloc(0);
  private at = 0;

  constructor(seed: string, label: string) {
    const key = createHash('sha256').update(`ferry-bench/${seed}/${label}`).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  /** `length` fresh random bytes. */
  bytes(length: number): Buffer {
    if (length <= ZERO.length) return this.cipher.update(ZERO.subarray(0, length));
    const parts: Buffer[] = [];
    for (let done = 0; done < length; done += ZERO.length) parts.push(this.cipher.update(ZERO.subarray(0, Math.min(ZERO.length, length - done))));
    return Buffer.concat(parts, length);
  }

  /** Uniform in [0, 1). */
  next(): number {
    if (this.at + 4 > this.pool.length) {
      this.pool = this.cipher.update(ZERO.subarray(0, 64 * KiB));
      this.at = 0;
    }
    const value = this.pool.readUInt32LE(this.at);
    this.at += 4;
    return value / 2 ** 32;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Log-uniform integer in [min, max]: as many files 1-2 KiB as 1-2 MiB. */
  logUniform(min: number, max: number): number {
    return Math.round(Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min))));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------
// Text-like content: words of a fixed 4096-word vocabulary, Zipf-distributed (s = 1.1),
// with punctuation and lines of ~70 characters. zstd -3 shrinks it ~3.2×, gzip -6 ~2.9×.

const VOCABULARY_SIZE = 4096;
const SYLLABLES = ['a', 'e', 'i', 'o', 'u', 'ka', 'to', 're', 'mi', 'sa', 'lo', 'ne', 'ti', 'po', 'da', 'ver', 'con', 'ter', 'ing', 'ment', 'tion', 'al', 'st', 'pre', 'ex', 'in', 'ou', 'th', 'an', 'er', 'es', 'or'];

interface Vocabulary {
  /** All words, each followed by a space, back to back. */
  bytes: Uint8Array;
  start: Uint32Array;
  length: Uint8Array;
  /** 65536 entries: a 16-bit random number → a word index, Zipf-weighted. */
  zipf: Uint16Array;
}

let vocabulary: Vocabulary | undefined;

function makeVocabulary(): Vocabulary {
  const random = new Stream('vocabulary', 'v1');
  const words = new Set<string>();
  while (words.size < VOCABULARY_SIZE) {
    const syllables = 1 + Math.floor(random.next() * random.next() * 5);
    let word = '';
    for (let k = 0; k < syllables; k++) word += random.pick(SYLLABLES);
    if (word.length >= 2 || words.size < 20) words.add(word);
  }
  const list = [...words];
  const encoded = Buffer.from(list.map((w) => `${w} `).join(''), 'latin1');
  const start = new Uint32Array(list.length);
  const length = new Uint8Array(list.length);
  let at = 0;
  list.forEach((word, k) => {
    start[k] = at;
    length[k] = word.length + 1;
    at += word.length + 1;
  });
  const weights = list.map((_, rank) => 1 / (rank + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const zipf = new Uint16Array(65536);
  let cumulative = 0;
  let word = 0;
  for (let slot = 0; slot < 65536; slot++) {
    while (word < list.length - 1 && (cumulative + weights[word]!) / total < (slot + 0.5) / 65536) cumulative += weights[word++]!;
    zipf[slot] = word;
  }
  return { bytes: encoded, start, length, zipf };
}

const NEWLINE = 10;
const PERIOD = 46;
const COMMA = 44;
const SPACE = 32;

/** `size` bytes of text-like content from `random`. */
export function textBytes(random: Stream, size: number): Buffer {
  vocabulary ??= makeVocabulary();
  const { bytes, start, length, zipf } = vocabulary;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  let line = 0;
  while (at < size) {
    // 3 random bytes a word: 16 bits pick the word, 8 bits the punctuation.
    const noise = random.bytes(Math.min(3 * 65536, Math.ceil((size - at) / 2) * 3 + 3));
    for (let n = 0; n + 3 <= noise.length && at < size; n += 3) {
      const word = zipf[noise[n]! | (noise[n + 1]! << 8)]!;
      const from = start[word]!;
      const count = length[word]!;
      for (let k = 0; k < count && at < size; k++) out[at++] = bytes[from + k]!;
      line += count;
      const extra = noise[n + 2]!;
      if (extra < 14 && at >= 1) {
        // ", " or ". " in place of the space just written
        out[at - 1] = extra < 6 ? PERIOD : COMMA;
        if (at < size) out[at++] = SPACE;
      }
      if (line > 64 + (extra & 15) && at >= 1) {
        out[at - 1] = NEWLINE;
        line = 0;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The file list (state 1)

export type Kind = 'random' | 'text';

export type FileSpec =
  | { path: string; size: number; kind: Kind; label: string }
  /** An exact copy of another file's content. */
  | { path: string; size: number; kind: 'copy'; source: number }
  /** A copy of another file's content behind a small header (the copy's chunks are shifted). */
  | { path: string; size: number; kind: 'shifted'; source: number; header: number; label: string }
  /** One block of random bytes, repeated (and cut) to the file's size. */
  | { path: string; size: number; kind: 'repeat'; block: number; label: string };

export interface DatasetSpec {
  seed: string;
  files: FileSpec[];
  dirs: string[];
  /** Folders with nothing in them (restored too). */
  emptyDirs: string[];
}

/** How the state-1 files are drawn (per GiB of target size). */
const BUCKETS = [
  { name: '1–16 KiB', min: 1 * KiB, max: 16 * KiB, count: 4000 },
  { name: '16–256 KiB', min: 16 * KiB, max: 256 * KiB, count: 1500 },
  { name: '256 KiB–4 MiB', min: 256 * KiB, max: 4 * MiB, count: 180 },
  // the rest of the unique bytes, in files of 4-64 MiB
  { name: '4–64 MiB', min: 4 * MiB, max: 64 * MiB, count: Infinity },
] as const;
export const SIZE_BUCKETS = BUCKETS.map((b) => ({ name: b.name, min: b.min, max: b.max }));

const DIR_WORDS = ['projects', 'photos', 'mail', 'src', 'docs', 'assets', 'archive', 'build', 'logs', 'notes', 'data', 'vendor', 'reports', 'music', 'config', 'cache', 'drafts', 'exports', 'lib', 'shared'];

function makeDirs(random: Stream): string[] {
  const dirs: string[] = [];
  const grow = (parent: string, depth: number) => {
    const children = depth === 0 ? 8 : random.int(0, depth >= 3 ? 2 : 5);
    for (let k = 0; k < children; k++) {
      const name = `${random.pick(DIR_WORDS)}-${k}`;
      const dir = parent === '' ? name : `${parent}/${name}`;
      dirs.push(dir);
      if (depth < 4) grow(dir, depth + 1);
    }
  };
  grow('', 0);
  return dirs;
}

/** The state-1 file list of a dataset of about `totalBytes`: 40% random, 40% text, 20% duplicated. */
export function planDataset(seed: string, totalBytes: number): DatasetSpec {
  const random = new Stream(seed, 'plan');
  const dirs = makeDirs(random);
  const scale = totalBytes / GiB;
  const uniqueTarget = Math.round(totalBytes * 0.8);
  const sizes: number[] = [];
  let unique = 0;
  for (const bucket of BUCKETS) {
    const count = bucket.count === Infinity ? Infinity : Math.max(1, Math.round(bucket.count * scale));
    for (let k = 0; k < count && unique < uniqueTarget; k++) {
      const size = Math.min(random.logUniform(bucket.min, bucket.max), uniqueTarget - unique);
      sizes.push(size);
      unique += size;
    }
  }
  // Kinds: largest first, each file to the kind further from its 50% of the unique bytes.
  const order = sizes.map((_, k) => k).sort((a, b) => sizes[b]! - sizes[a]!);
  const kinds: Kind[] = new Array<Kind>(sizes.length);
  const byKind = { random: 0, text: 0 };
  for (const k of order) {
    const kind: Kind = byKind.random <= byKind.text ? 'random' : 'text';
    kinds[k] = kind;
    byKind[kind] += sizes[k]!;
  }
  const files: FileSpec[] = [];
  const fileName = (n: number, ext: string) => `${random.pick(dirs)}/f${String(n).padStart(5, '0')}.${ext}`;
  sizes.forEach((size, k) => {
    const kind = kinds[k]!;
    files.push({ path: fileName(files.length, kind === 'text' ? 'txt' : 'bin'), size, kind, label: `file/${k}` });
  });
  // Duplicated content, up to totalBytes: 60% exact copies of other files, 25% files made of
  // one repeated block, 15% copies shifted by a small header.
  const uniqueFiles = files.length;
  const dupTarget = totalBytes - unique;
  let dup = 0;
  const budget = { copy: dupTarget * 0.6, repeat: dupTarget * 0.25, shifted: dupTarget * 0.15 };
  const spent = { copy: 0, repeat: 0, shifted: 0 };
  while (dup < dupTarget) {
    const kind = (['copy', 'repeat', 'shifted'] as const).find((k) => spent[k] < budget[k]) ?? 'copy';
    const room = dupTarget - dup;
    let spec: FileSpec;
    if (kind === 'repeat') {
      const size = Math.min(random.logUniform(4 * MiB, 24 * MiB), room);
      spec = { path: fileName(files.length, 'img'), size, kind, block: random.logUniform(1 * MiB, 3 * MiB), label: `repeat/${files.length}` };
    } else {
      // a source that fits in what is left (files up to 64 MiB, most copies small)
      let source = random.int(0, uniqueFiles - 1);
      for (let tries = 0; tries < 50 && files[source]!.size > room; tries++) source = random.int(0, uniqueFiles - 1);
      if (files[source]!.size > room) {
        spec = { path: fileName(files.length, 'img'), size: room, kind: 'repeat', block: Math.min(room, 1 * MiB), label: `repeat/${files.length}` };
      } else if (kind === 'shifted') {
        const header = random.int(100, 4000);
        spec =
          files[source]!.size + header <= room
            ? { path: fileName(files.length, 'bak'), size: files[source]!.size + header, kind, source, header, label: `header/${files.length}` }
            : { path: `${random.pick(dirs)}/copy${files.length}-of-${path.basename(files[source]!.path)}`, size: files[source]!.size, kind: 'copy', source };
      } else {
        const original = files[source]!;
        spec = { path: `${random.pick(dirs)}/copy${files.length}-of-${path.basename(original.path)}`, size: original.size, kind, source };
      }
    }
    spent[spec.kind === 'repeat' ? 'repeat' : spec.kind === 'shifted' ? 'shifted' : 'copy'] += spec.size;
    dup += spec.size;
    files.push(spec);
  }
  const emptyDirs = [0, 1, 2].map((k) => `${random.pick(dirs)}/empty-${k}`);
  return { seed, files, dirs, emptyDirs };
}

/** The content of a state-1 file. */
export function contentOf(spec: DatasetSpec, index: number): Buffer {
  const file = spec.files[index]!;
  switch (file.kind) {
    case 'random':
      return new Stream(spec.seed, file.label).bytes(file.size);
    case 'text':
      return textBytes(new Stream(spec.seed, file.label), file.size);
    case 'copy':
      return contentOf(spec, file.source);
    case 'shifted':
      return Buffer.concat([textBytes(new Stream(spec.seed, file.label), file.header), contentOf(spec, file.source)]);
    case 'repeat': {
      const block = new Stream(spec.seed, file.label).bytes(Math.min(file.block, file.size));
      const out = Buffer.allocUnsafe(file.size);
      for (let at = 0; at < file.size; at += block.length) block.copy(out, at, 0, Math.min(block.length, file.size - at));
      return out;
    }
  }
}

/** The kind of bytes a file holds (for changes that look like the rest of the file). */
function baseKind(spec: DatasetSpec, index: number): Kind {
  const file = spec.files[index]!;
  switch (file.kind) {
    case 'random':
    case 'text':
      return file.kind;
    case 'repeat':
      return 'random';
    case 'copy':
    case 'shifted':
      return baseKind(spec, file.source);
  }
}

function bytesOfKind(kind: Kind, random: Stream, size: number): Buffer {
  return kind === 'random' ? random.bytes(size) : textBytes(random, size);
}

// ---------------------------------------------------------------------------------------
// State 2: the change

export interface Mutation {
  /** Rewritten in place (same size): [offset, offset + length). */
  modified: { file: number; offset: number; length: number; kind: Kind; label: string }[];
  /** Grown at the end. */
  appended: { file: number; length: number; kind: Kind; label: string }[];
  added: { path: string; size: number; kind: Kind; label: string }[];
  deleted: number[];
}

export interface MutationSummary {
  modifiedFiles: number;
  modifiedBytes: number;
  appendedFiles: number;
  appendedBytes: number;
  addedFiles: number;
  addedBytes: number;
  deletedFiles: number;
  deletedBytes: number;
  /** modified + appended + added: the bytes a backup has to store anew. */
  changedBytes: number;
  /** Of the changed bytes, how many are random (incompressible); the rest is text. */
  changedRandomBytes: number;
}

/** About `fraction` of the dataset's bytes changed: 25% rewritten in place, 25% appended, 50% new files; and a few files deleted. */
export function planMutation(spec: DatasetSpec, fraction = 0.05): Mutation {
  const random = new Stream(spec.seed, 'mutation');
  const total = spec.files.reduce((sum, f) => sum + f.size, 0);
  const target = Math.round(total * fraction);
  const pool = random.shuffle(spec.files.map((_, k) => k));
  const taken = new Set<number>();
  const take = (accept: (k: number) => boolean): number => {
    const k = pool.find((candidate) => !taken.has(candidate) && accept(candidate));
    if (k === undefined) throw new Error('dataset too small for the mutation');
    taken.add(k);
    return k;
  };
  const mutation: Mutation = { modified: [], appended: [], added: [], deleted: [] };
  // In place: 128 KiB-2 MiB in the middle of files of 1 MiB or more.
  for (let done = 0; done < target * 0.25; ) {
    const file = take((k) => spec.files[k]!.size >= 1 * MiB);
    const size = spec.files[file]!.size;
    const length = Math.min(random.logUniform(128 * KiB, 2 * MiB), Math.floor(size / 3), Math.ceil(target * 0.25 - done));
    const offset = Math.floor(size / 2 - length / 2 + (random.next() - 0.5) * (size / 4));
    const clamped = Math.max(0, Math.min(size - length, offset));
    mutation.modified.push({ file, offset: clamped, length, kind: baseKind(spec, file), label: `modify/${file}` });
    done += length;
  }
  // Appends: 4 KiB-2 MiB to files of any size (logs, mailboxes).
  for (let done = 0; done < target * 0.25; ) {
    const file = take(() => true);
    const length = Math.min(random.logUniform(4 * KiB, 2 * MiB), Math.ceil(target * 0.25 - done));
    mutation.appended.push({ file, length, kind: baseKind(spec, file), label: `append/${file}` });
    done += length;
  }
  // New files, 1 KiB-8 MiB, half random half text, in existing folders.
  const changedSoFar = () =>
    mutation.modified.reduce((s, m) => s + m.length, 0) + mutation.appended.reduce((s, m) => s + m.length, 0) + mutation.added.reduce((s, m) => s + m.size, 0);
  while (changedSoFar() < target) {
    const size = Math.min(random.logUniform(1 * KiB, 8 * MiB), target - changedSoFar());
    const n = mutation.added.length;
    const kind: Kind = n % 2 === 0 ? 'random' : 'text';
    mutation.added.push({ path: `${random.pick(spec.dirs)}/new-${String(n).padStart(3, '0')}.${kind === 'text' ? 'txt' : 'bin'}`, size, kind, label: `added/${n}` });
  }
  for (let k = 0; k < 10; k++) mutation.deleted.push(take(() => true));
  return mutation;
}

export function summarizeMutation(spec: DatasetSpec, mutation: Mutation): MutationSummary {
  const sum = <T>(items: T[], size: (item: T) => number) => items.reduce((s, item) => s + size(item), 0);
  const modifiedBytes = sum(mutation.modified, (m) => m.length);
  const appendedBytes = sum(mutation.appended, (m) => m.length);
  const addedBytes = sum(mutation.added, (m) => m.size);
  const changedRandomBytes =
    sum(mutation.modified.filter((m) => m.kind === 'random'), (m) => m.length) +
    sum(mutation.appended.filter((m) => m.kind === 'random'), (m) => m.length) +
    sum(mutation.added.filter((m) => m.kind === 'random'), (m) => m.size);
  return {
    modifiedFiles: mutation.modified.length,
    modifiedBytes,
    appendedFiles: mutation.appended.length,
    appendedBytes,
    addedFiles: mutation.added.length,
    addedBytes,
    deletedFiles: mutation.deleted.length,
    deletedBytes: sum(mutation.deleted, (k) => spec.files[k]!.size),
    changedBytes: modifiedBytes + appendedBytes + addedBytes,
    changedRandomBytes,
  };
}

// ---------------------------------------------------------------------------------------
// Writing the tree

function writeWhole(file: string, data: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

/** Writes state 1 into `root` (which must not exist). */
export function writeState1(spec: DatasetSpec, root: string): void {
  mkdirSync(root, { recursive: true });
  for (const dir of spec.dirs) mkdirSync(path.join(root, dir), { recursive: true });
  spec.files.forEach((file, k) => writeWhole(path.join(root, file.path), contentOf(spec, k)));
}

/** Turns state 1 into state 2, in place (files keep their inode where a tool would). */
export function applyMutation(spec: DatasetSpec, mutation: Mutation, root: string): void {
  for (const m of mutation.modified) {
    const fd = openSync(path.join(root, spec.files[m.file]!.path), 'r+');
    try {
      writeSync(fd, bytesOfKind(m.kind, new Stream(spec.seed, m.label), m.length), 0, m.length, m.offset);
    } finally {
      closeSync(fd);
    }
  }
  for (const m of mutation.appended) {
    const fd = openSync(path.join(root, spec.files[m.file]!.path), 'a');
    try {
      writeSync(fd, bytesOfKind(m.kind, new Stream(spec.seed, m.label), m.length));
    } finally {
      closeSync(fd);
    }
  }
  for (const a of mutation.added) writeWhole(path.join(root, a.path), bytesOfKind(a.kind, new Stream(spec.seed, a.label), a.size));
  for (const k of mutation.deleted) rmSync(path.join(root, spec.files[k]!.path));
}

/** Turns state 2 back into state 1 (rewrites only what the mutation touched). */
export function undoMutation(spec: DatasetSpec, mutation: Mutation, root: string): void {
  for (const a of mutation.added) rmSync(path.join(root, a.path), { force: true });
  const touched = new Set([...mutation.modified.map((m) => m.file), ...mutation.appended.map((m) => m.file), ...mutation.deleted]);
  for (const k of touched) writeWhole(path.join(root, spec.files[k]!.path), contentOf(spec, k));
}

// ---------------------------------------------------------------------------------------
// The dataset on disk, cached between runs

export interface DatasetState {
  generator: number;
  seed: string;
  totalBytes: number;
  state: 1 | 2;
}

/**
 * Makes `root` hold state 1 of the dataset: reuses a tree left by an earlier run of the
 * same generator, seed and size (undoing its state 2), otherwise writes it anew.
 */
export function ensureState1(spec: DatasetSpec, mutation: Mutation, root: string, stateFile: string, totalBytes: number, regenerate: boolean): 'reused' | 'undone' | 'written' {
  let state: DatasetState | undefined;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as DatasetState;
  } catch {
    state = undefined;
  }
  const same = state && state.generator === GENERATOR_VERSION && state.seed === spec.seed && state.totalBytes === totalBytes && existsSync(root);
  if (!regenerate && same && state!.state === 1) return 'reused';
  if (!regenerate && same && state!.state === 2) {
    undoMutation(spec, mutation, root);
    markState(stateFile, spec, totalBytes, 1);
    return 'undone';
  }
  rmSync(stateFile, { force: true });
  rmSync(root, { recursive: true, force: true });
  writeState1(spec, root);
  for (const dir of spec.emptyDirs) mkdirSync(path.join(root, dir), { recursive: true });
  markState(stateFile, spec, totalBytes, 1);
  return 'written';
}

export function markState(stateFile: string, spec: DatasetSpec, totalBytes: number, state: 1 | 2): void {
  const content: DatasetState = { generator: GENERATOR_VERSION, seed: spec.seed, totalBytes, state };
  writeFileSync(stateFile, `${JSON.stringify(content)}\n`);
}

// ---------------------------------------------------------------------------------------
// Tree manifests: what a restore is compared with

export interface TreeManifest {
  /** relative path → `${size}:${sha256}` */
  files: Map<string, string>;
  dirs: Set<string>;
  bytes: number;
}

export async function manifestOf(root: string): Promise<TreeManifest> {
  const manifest: TreeManifest = { files: new Map(), dirs: new Set(), bytes: 0 };
  const buffer = Buffer.allocUnsafe(4 * MiB);
  const walk = async (dir: string, relative: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const absolute = path.join(dir, name);
      const rel = relative === '' ? name : `${relative}/${name}`;
      const info = await lstat(absolute);
      if (info.isDirectory()) {
        manifest.dirs.add(rel);
        await walk(absolute, rel);
      } else if (info.isFile()) {
        const hash = createHash('sha256');
        const handle = await open(absolute, 'r');
        try {
          for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
            if (bytesRead === 0) break;
            hash.update(buffer.subarray(0, bytesRead));
          }
        } finally {
          await handle.close();
        }
        manifest.files.set(rel, `${info.size}:${hash.digest('hex')}`);
        manifest.bytes += info.size;
      } else {
        manifest.files.set(rel, `other:${info.mode}`);
      }
    }
  };
  await walk(root, '');
  return manifest;
}

/** The differences between two manifests (empty when the trees are equal), at most `limit`. */
export function compareManifests(expected: TreeManifest, actual: TreeManifest, limit = 20): string[] {
  const problems: string[] = [];
  for (const [file, digest] of expected.files) {
    const got = actual.files.get(file);
    if (got === undefined) problems.push(`missing file ${file}`);
    else if (got !== digest) problems.push(`different content: ${file} (expected ${digest.slice(0, 24)}…, got ${got.slice(0, 24)}…)`);
  }
  for (const file of actual.files.keys()) if (!expected.files.has(file)) problems.push(`unexpected file ${file}`);
  for (const dir of expected.dirs) if (!actual.dirs.has(dir)) problems.push(`missing folder ${dir}`);
  for (const dir of actual.dirs) if (!expected.dirs.has(dir)) problems.push(`unexpected folder ${dir}`);
  return problems.slice(0, limit).concat(problems.length > limit ? [`… and ${problems.length - limit} more`] : []);
}
