import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a small tree with the cases that break naive backup tools. */
export async function writeSampleTree(root: string): Promise<void> {
  await mkdir(path.join(root, 'docs', 'deep', 'deeper', 'deepest'), { recursive: true });
  await mkdir(path.join(root, 'empty folder'), { recursive: true });
  await writeFile(path.join(root, 'docs', 'readme.txt'), 'hello ferry\n'.repeat(1000));
  await writeFile(path.join(root, 'docs', 'empty.bin'), '');
  await writeFile(path.join(root, 'docs', 'deep', 'deeper', 'deepest', 'ünïcødé name.txt'), 'unicode');
  await writeFile(path.join(root, 'random.bin'), randomBytes(3 * 1024 * 1024 + 17));
  await writeFile(path.join(root, 'twice-a.bin'), Buffer.alloc(2 * 1024 * 1024, 7));
  await writeFile(path.join(root, 'twice-b.bin'), Buffer.alloc(2 * 1024 * 1024, 7));
  await symlink('docs/readme.txt', path.join(root, 'link-to-readme'));
}

export interface Snapshot {
  [relative: string]: { type: 'file'; content: string; mode: number; mtimeMs: number } | { type: 'dir' } | { type: 'symlink'; target: string };
}

/** Everything a restore must reproduce, for deep comparison. */
export async function snapshot(root: string): Promise<Snapshot> {
  const result: Snapshot = {};
  async function walk(dir: string, rel: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const abs = path.join(dir, name);
      const key = rel ? `${rel}/${name}` : name;
      const info = await lstat(abs);
      if (info.isDirectory()) {
        result[key] = { type: 'dir' };
        await walk(abs, key);
      } else if (info.isSymbolicLink()) {
        result[key] = { type: 'symlink', target: await readlink(abs) };
      } else {
        const content = (await readFile(abs)).toString('base64');
        result[key] = { type: 'file', content, mode: info.mode & 0o777, mtimeMs: Math.floor(info.mtimeMs) };
      }
    }
  }
  await walk(root, '');
  return result;
}
