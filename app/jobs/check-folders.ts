import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FolderBackupJob } from '../../shared/domain/job.ts';
import { errnoWords } from '../util/errno-words.ts';

/** Why the engine cannot read a folder (`code`: the errno, or 'file'), in words; undefined when it can. */
export async function folderUnreadable(folder: string): Promise<{ code: string; words: string } | undefined> {
  try {
    if (!(await stat(folder)).isDirectory()) return { code: 'file', words: 'it is a file, not a folder' };
    await (await opendir(folder)).close();
    return undefined;
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code ?? '', words: errnoWords(error) };
  }
}

/** Why a folder cannot be backed up, in words for its field, or undefined when it can be read. */
export async function folderProblem(folder: string): Promise<string | undefined> {
  if (!path.isAbsolute(folder)) return `Enter the full path of "${folder}" (from the top of its disk): the engine does not run from a folder of yours.`;
  const resolved = path.resolve(folder);
  if (path.parse(resolved).root === resolved) return `${folder} is the whole disk: choose the folders to back up.`;
  const fault = await folderUnreadable(resolved);
  if (fault === undefined) return undefined;
  switch (fault.code) {
    case 'ENOENT':
      return `${folder} does not exist.`;
    case 'file':
      return `${folder} is a file, not a folder: enter the folder that holds it.`;
    case 'ENOTDIR':
      return `${folder} does not exist: part of its path is a file.`;
    case 'EACCES':
    case 'EPERM':
      return `The engine may not read ${folder}: give its user access, or choose another folder.`;
    default:
      return `${folder} cannot be read: ${fault.words}.`;
  }
}

/** The problems of a folder backup job's folders, by field (`definition.workloads.N.folders`). */
export async function folderErrors(job: FolderBackupJob): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const [index, workload] of job.workloads.entries()) {
    const problems = (await Promise.all(workload.folders.map(folderProblem))).filter((problem) => problem !== undefined);
    if (problems.length > 0) fields[`definition.workloads.${index}.folders`] = problems.join(' ');
  }
  return fields;
}
