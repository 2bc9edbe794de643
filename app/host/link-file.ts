import { rename, rm, writeFile } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from '../config/private-data-dir.ts';

/*
 * `ferry serve --link-file <file>`: the console's link (it holds the access token) goes to a
 * file only its user can read, instead of stdout, which a service manager sends to a
 * journal or log others may read. Replaced whole at each rotation; removed at stop.
 */

/** Writes `url` to `file` (0600), replacing it at once: a reader sees the old link or the new one. */
export async function writeLinkFile(file: string, url: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  try {
    // Created here ('wx'): a file someone else made, with a mode of theirs, is never reused.
    await writeFile(temporary, `${url}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The link is void once serve stops: its file goes too. */
export async function removeLinkFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
