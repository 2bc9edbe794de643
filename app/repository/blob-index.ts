import type { Codec } from '../format/codec.ts';
import type { BlobType } from './bulk-documents.ts';

export interface IndexEntry {
  pack: string;
  type: BlobType;
  codec: Codec;
  offset: number;
  length: number;
  plain: number;
}

const ID_WORDS = 8; // a blob id is a SHA-256 digest: 32 bytes
const NUMBERS = 3; // offset, length, plain
const TREE = 1;
const ZSTD = 2;
/** The value of each lowercase hex digit by char code, -1 for any other character below 128. */
const HEX_DIGIT = Int8Array.from({ length: 128 }, (_, code) => {
  const char = String.fromCharCode(code);
  return /[0-9a-f]/.test(char) ? Number.parseInt(char, 16) : -1;
});

/** Every 16-bit number as 4 lowercase hex digits: ids are written back by table, 2 lookups a word (toString(16) took 3× longer). */
const HEX4 = Array.from({ length: 0x10000 }, (_, n) => n.toString(16).padStart(4, '0'));

/**
 * Where each blob of a backup is, by id. A backup's whole index is in memory while it is
 * read or written, so it is kept in typed arrays, ~90 bytes an entry: as a Map of
 * objects keyed by hex strings it took ~180 (bench/micro/index-memory.ts), and a 1 TB backup has ~10⁶ blobs (a copy
 * holds its source's index and its target's). Ids are SHA-256 digests, uniformly spread,
 * so their first word is the hash of an open-addressing table.
 */
export class BlobIndex {
  private ids = new Uint32Array(0);
  private packNumbers = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private numbers = new Float64Array(0);
  /** Entry number + 1 in each slot, 0 for an empty slot; at most half the slots are used. */
  private slots = new Uint32Array(16);
  private count = 0;
  private readonly packs: string[] = [];
  private readonly packNumber = new Map<string, number>();
  /** The id being looked up, as words. */
  private readonly scratch = new Uint32Array(ID_WORDS);

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  get(id: string): IndexEntry | undefined {
    const entry = this.find(id);
    return entry < 0 ? undefined : this.entryAt(entry);
  }

  private entryAt(entry: number): IndexEntry {
    const flags = this.flags[entry]!;
    const at = entry * NUMBERS;
    return {
      pack: this.packs[this.packNumbers[entry]!]!,
      type: flags & TREE ? 'tree' : 'data',
      codec: flags & ZSTD ? 'zstd' : 'raw',
      offset: this.numbers[at]!,
      length: this.numbers[at + 1]!,
      plain: this.numbers[at + 2]!,
    };
  }

  /** Every blob with its entry (verify compares them with the packs' headers; compaction goes through all of them). */
  *entries(): Generator<[string, IndexEntry]> {
    for (let entry = 0; entry < this.count; entry++) {
      let id = '';
      for (let w = entry * ID_WORDS; w < (entry + 1) * ID_WORDS; w++) {
        const word = this.ids[w]!;
        id += HEX4[word >>> 16]! + HEX4[word & 0xffff]!;
      }
      yield [id, this.entryAt(entry)];
    }
  }

  /** Adds a blob, or moves one already known (as Map.set would). */
  set(id: string, entry: IndexEntry): void {
    if (!this.toScratch(id)) throw new Error(`Not a blob id: ${id}`);
    let number = this.findScratch();
    if (number < 0) {
      this.reserve(this.count + 1);
      number = this.count++;
      this.ids.set(this.scratch, number * ID_WORDS);
      this.slots[this.freeSlot()] = number + 1;
    }
    let pack = this.packNumber.get(entry.pack);
    if (pack === undefined) {
      pack = this.packs.push(entry.pack) - 1;
      this.packNumber.set(entry.pack, pack);
    }
    this.packNumbers[number] = pack;
    this.flags[number] = (entry.type === 'tree' ? TREE : 0) | (entry.codec === 'zstd' ? ZSTD : 0);
    const at = number * NUMBERS;
    this.numbers[at] = entry.offset;
    this.numbers[at + 1] = entry.length;
    this.numbers[at + 2] = entry.plain;
  }

  /** Room for `total` entries, so a large index file grows the arrays once. */
  reserve(total: number): void {
    if (total > this.flags.length) {
      const capacity = Math.max(total, Math.ceil(this.flags.length * 1.5), 64);
      this.ids = grown(this.ids, capacity * ID_WORDS);
      this.packNumbers = grown(this.packNumbers, capacity);
      this.flags = grown(this.flags, capacity);
      this.numbers = grown(this.numbers, capacity * NUMBERS);
    }
    if (total * 2 > this.slots.length) this.rehash(total);
  }

  /** The entry number of `id`, or -1. */
  private find(id: string): number {
    return this.toScratch(id) ? this.findScratch() : -1;
  }

  /** Puts `id` in scratch as words, by hand: idFromHex (format/hash.ts) would run a regex and allocate a Buffer per lookup; false if it is not an id. */
  private toScratch(id: string): boolean {
    if (id.length !== ID_WORDS * 8) return false;
    for (let w = 0; w < ID_WORDS; w++) {
      let word = 0;
      for (let c = w * 8; c < w * 8 + 8; c++) {
        const digit = HEX_DIGIT[id.charCodeAt(c)] ?? -1;
        if (digit < 0) return false;
        word = (word << 4) | digit;
      }
      this.scratch[w] = word;
    }
    return true;
  }

  /** The entry number of the id in scratch, or -1. */
  private findScratch(): number {
    const words = this.scratch;
    const mask = this.slots.length - 1;
    for (let slot = words[0]! & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot]!;
      if (held === 0) return -1;
      const at = (held - 1) * ID_WORDS;
      let same = true;
      for (let w = 0; w < ID_WORDS && same; w++) same = this.ids[at + w] === words[w];
      if (same) return held - 1;
    }
  }

  /** The empty slot for the id in scratch (known to be absent). */
  private freeSlot(): number {
    const mask = this.slots.length - 1;
    let slot = this.scratch[0]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(total: number): void {
    let size = this.slots.length;
    while (total * 2 > size) size *= 2;
    const slots = new Uint32Array(size);
    const mask = size - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = this.ids[entry * ID_WORDS]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function grown<T extends Uint32Array | Uint8Array | Float64Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
