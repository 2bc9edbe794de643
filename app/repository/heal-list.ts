import { StoreError } from '../storage/object-store.ts';
import type { BackupStore } from './backup-store.ts';
import { decodeDocument, encodeDocument } from './documents.ts';
import { keys } from './layout.ts';
import { type HealList, healList } from './schemas.ts';

/** Sealed like a point file in an encrypted backup: chunk ids say what content the backup holds. */
const HEAL_LABEL = 'ferry/heal/v1';

/**
 * The backup's heal list, or undefined when there is none (nothing to heal). One GET: a
 * copy run reads it every time, so finding the points to heal never walks their trees.
 * A damaged list is a corrupt_data FerryError naming it.
 */
export async function readHealList(backup: BackupStore): Promise<HealList | undefined> {
  let bytes: Buffer;
  try {
    bytes = await backup.store.get(keys.healList(backup.folder));
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'not_found') return undefined;
    throw error;
  }
  return decodeDocument(bytes, backup.key, HEAL_LABEL, healList, `The heal list ${keys.healList(backup.folder)}`);
}

/** Writes the list whole (the caller holds the backup's write or exclusive lock); an empty one is removed. */
export async function writeHealList(backup: BackupStore, list: HealList): Promise<void> {
  const key = keys.healList(backup.folder);
  if (list.points.length === 0) await backup.store.delete(key);
  else await backup.store.put(key, encodeDocument(list, backup.key, HEAL_LABEL));
}

/**
 * The heal list after a run: points healed (`healed`), gone (not in `present`), or no
 * longer short of any chunk (`has`: the chunk is in the index again) leave it.
 */
export function remainingHealList(list: HealList, present: ReadonlySet<string>, healed: ReadonlySet<string>, has: (id: string) => boolean): HealList {
  return {
    ...list,
    points: list.points
      .filter((entry) => present.has(entry.id) && !healed.has(entry.id))
      .map((entry) => ({ ...entry, chunks: entry.chunks.filter((id) => !has(id)) }))
      .filter((entry) => entry.chunks.length > 0),
  };
}

/** Whether a run changed the list (it is written again only then). */
export function healListChanged(before: HealList, after: HealList): boolean {
  return after.points.length !== before.points.length || after.points.some((entry, at) => entry.chunks.length !== before.points[at]!.chunks.length);
}
