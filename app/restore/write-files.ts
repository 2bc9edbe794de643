import { readBlobs } from '../repository/blob-reader.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import { StampError, type TargetFile } from './target-file.ts';

export interface WriteFilesOptions {
  backup: BackupStore;
  checkCancelled: () => void;
  /** A file that could not be restored (removed, unless only its mode or times failed); `blobId` when a chunk was to blame. */
  onProblem: (file: TargetFile, error: unknown, blobId?: string) => void;
  /** After each piece written; `completed` when it finished its file. */
  onWritten: (file: TargetFile, bytes: number, completed: boolean) => void;
}

interface Piece {
  file: TargetFile;
  offset: number;
}

/**
 * Writes the files' content. Every chunk is read and decoded once, pack by pack (see
 * readBlobs), and written wherever the files need it, so duplicated content costs one
 * decode and the reads follow the packs rather than the files. A chunk that cannot be
 * read fails every file that needs it; the other files are restored. When cancelled,
 * files not yet complete are removed.
 */
export async function writeFiles(files: readonly TargetFile[], options: WriteFilesOptions): Promise<void> {
  const { backup } = options;
  const pieces = new Map<string, Piece[]>();
  const fail = (file: TargetFile, error: unknown, blobId?: string) => {
    if (file.failed) return;
    file.failed = true;
    options.onProblem(file, error, blobId);
  };
  const write = async (file: TargetFile, data?: Buffer, offset?: number) => {
    if (file.failed) return;
    let completed = false;
    try {
      completed = await file.write(data, offset);
    } catch (error) {
      // As before, a file whose mode or times could not be set is reported, and kept.
      if (!(error instanceof StampError)) return fail(file, error);
      options.onProblem(file, error);
    }
    options.onWritten(file, data?.length ?? 0, completed);
  };

  for (const file of files) {
    let layout: { id: string; offset: number }[];
    try {
      layout = layoutOf(backup, file);
    } catch (error) {
      fail(file, error);
      continue;
    }
    file.remaining = layout.length;
    if (layout.length === 0) await write(file);
    for (const { id, offset } of layout) {
      let list = pieces.get(id);
      if (!list) pieces.set(id, (list = []));
      list.push({ file, offset });
    }
  }

  try {
    await readBlobs(backup, pieces.keys(), {
      checkCancelled: options.checkCancelled,
      onBlob: async (id, data) => {
        for (const { file, offset } of pieces.get(id)!) await write(file, data, offset);
      },
      onFailure: (id, error) => {
        for (const { file } of pieces.get(id) ?? []) fail(file, error, id);
      },
    });
  } catch (error) {
    for (const file of files) if (file.remaining > 0 || file.failed) await file.discard();
    throw error;
  }
  for (const file of files) if (file.failed) await file.discard();
}

/** Where each chunk of the file goes, from the index's lengths (a chunk missing from the index throws). */
function layoutOf(backup: BackupStore, file: TargetFile): { id: string; offset: number }[] {
  let offset = 0;
  return file.node.content.map((id) => {
    const at = offset;
    offset += backup.requireEntry(id).plain;
    return { id, offset: at };
  });
}
