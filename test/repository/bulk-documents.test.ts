import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { type CheckResult, indexFile, tree } from '../../app/repository/bulk-documents.ts';

// The format as it was first written down, in zod: the checks by hand must accept exactly
// what these accept, and give back what they give back.
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const referenceIndex = z.object({
  format: z.literal('ferry-index'),
  version: z.literal(1),
  packs: z.array(
    z.object({
      id: hex64,
      blobs: z.array(
        z.object({
          id: hex64,
          type: z.enum(['data', 'tree']),
          codec: z.enum(['raw', 'zstd']),
          offset: z.number().int().nonnegative(),
          length: z.number().int().nonnegative(),
          plain: z.number().int().nonnegative(),
        }),
      ),
    }),
  ),
});
const referenceTree = z.object({
  nodes: z.array(
    z.discriminatedUnion('type', [
      z.object({
        type: z.literal('file'),
        name: z.string(),
        mode: z.number().int(),
        mtimeMs: z.number(),
        size: z.number().int().nonnegative(),
        inode: z.string().optional(),
        content: z.array(hex64),
      }),
      z.object({ type: z.literal('dir'), name: z.string(), mode: z.number().int(), mtimeMs: z.number(), subtree: hex64 }),
      z.object({ type: z.literal('symlink'), name: z.string(), mode: z.number().int(), mtimeMs: z.number(), target: z.string() }),
    ]),
  ),
});

const id = fc.stringMatching(/^[0-9a-f]{64}$/);
const size = fc.integer({ min: 0, max: 2 ** 40 });
const blob = fc.record({ id, type: fc.constantFrom('data', 'tree'), codec: fc.constantFrom('raw', 'zstd'), offset: size, length: size, plain: size });
const validIndex = fc.record({
  format: fc.constant('ferry-index'),
  version: fc.constant(1),
  packs: fc.array(fc.record({ id, blobs: fc.array(blob, { maxLength: 6 }) }), { maxLength: 4 }),
});
const base = { name: fc.string(), mode: fc.integer(), mtimeMs: fc.double({ noNaN: true, noDefaultInfinity: true }) };
const validTree = fc.record({
  nodes: fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('file'), ...base, size, inode: fc.string(), content: fc.array(id, { maxLength: 4 }) }, { requiredKeys: ['type', 'name', 'mode', 'mtimeMs', 'size', 'content'] }),
      fc.record({ type: fc.constant('dir'), ...base, subtree: id }),
      fc.record({ type: fc.constant('symlink'), ...base, target: fc.string() }),
    ),
    { maxLength: 6 },
  ),
});

/** Values a damaged or foreign document may hold where something else belongs. */
const oddValue = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, -1, 1.5, 2 ** 53, '', 'data', 'ferry-index', 'zstd', 'file', 'dir', {}, [], 'A'.repeat(64), 'a'.repeat(63)), weight: 4 },
  { arbitrary: fc.oneof(fc.string(), fc.double(), fc.integer(), id), weight: 1 },
);

type Step = string | number;

/** Every place in a document: each value, the document itself first. */
function places(value: unknown, at: Step[] = []): Step[][] {
  const found = [at];
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) found.push(...places(child, [...at, Array.isArray(value) ? Number(key) : key]));
  }
  return found;
}

/** The document with one value replaced or removed, or a key added beside it. */
function damage(doc: unknown, pick: number, value: unknown, how: 'replace' | 'remove' | 'add'): unknown {
  const all = places(doc);
  const at = all[pick % all.length]!;
  if (at.length === 0) return value;
  const copy = structuredClone(doc) as Record<Step, unknown>;
  const parent = at.slice(0, -1).reduce<Record<Step, unknown>>((node, step) => node[step] as Record<Step, unknown>, copy);
  const key = at.at(-1)!;
  if (how === 'remove') delete parent[key];
  else if (how === 'add' && !Array.isArray(parent)) parent.extra = value;
  else parent[key] = value;
  return copy;
}

const damaged = (valid: fc.Arbitrary<unknown>) =>
  fc
    .tuple(valid, fc.nat(), oddValue, fc.constantFrom('replace', 'replace', 'remove', 'add'))
    .map(([doc, pick, value, how]) => damage(doc, pick, value, how as 'replace' | 'remove' | 'add'));

function agrees(check: { safeParse(json: unknown): CheckResult<unknown> }, reference: z.ZodType, doc: unknown): void {
  const expected = reference.safeParse(doc);
  const actual = check.safeParse(doc);
  assert.equal(actual.success, expected.success, `${JSON.stringify(doc)}: ${actual.success ? 'accepted' : actual.error.issues[0]?.message}`);
  if (actual.success && expected.success) assert.deepEqual(actual.data, expected.data);
  if (!actual.success) assert.ok(actual.error.issues[0]?.message, 'a rejection says what is wrong');
}

describe('index files and trees checked by hand', () => {
  it('accept every valid index file and give back what zod gives back', () => {
    fc.assert(fc.property(validIndex, (doc) => agrees(indexFile, referenceIndex, doc)));
  });

  it('reject exactly the damaged index files zod rejects', () => {
    fc.assert(fc.property(damaged(validIndex), (doc) => agrees(indexFile, referenceIndex, doc)), { numRuns: 2000 });
  });

  it('accept every valid tree and give back what zod gives back', () => {
    fc.assert(fc.property(validTree, (doc) => agrees(tree, referenceTree, doc)));
  });

  it('reject exactly the damaged trees zod rejects', () => {
    fc.assert(fc.property(damaged(validTree), (doc) => agrees(tree, referenceTree, doc)), { numRuns: 2000 });
  });

  it('name the field that is wrong', () => {
    const blobEntry = { id: 'a'.repeat(64), type: 'data', codec: 'zstd', offset: 0, length: 10, plain: 20 };
    const doc = { format: 'ferry-index', version: 1, packs: [{ id: 'b'.repeat(64), blobs: [blobEntry, { ...blobEntry, offset: -4 }] }] };
    const checked = indexFile.safeParse(doc);
    assert.equal(checked.success, false);
    assert.equal(!checked.success && checked.error.issues[0]?.message, 'packs[0].blobs[1].offset is not a whole number ≥ 0');
    const folder = tree.safeParse({ nodes: [{ type: 'dir', name: 'a', mode: 493, mtimeMs: 1, subtree: 'nope' }] });
    assert.equal(!folder.success && folder.error.issues[0]?.message, 'nodes[0].subtree is not a 64-digit hex id');
  });

  it('leave out keys the format does not have, as zod does', () => {
    const checked = tree.safeParse({ nodes: [{ type: 'symlink', name: 'l', mode: 511, mtimeMs: 2, target: 'x', extra: 1 }], more: true });
    assert.deepEqual(checked.success && checked.data, { nodes: [{ type: 'symlink', name: 'l', mode: 511, mtimeMs: 2, target: 'x' }] });
  });
});
