/**
 * Huge pages for the commands that move data (Linux with glibc). glibc's malloc gives
 * Node's large buffers (pack and read buffers, scrypt's 32 MiB) 4 KiB pages, each
 * faulted in by the kernel on first touch. Where a fault is dear, as in virtual machines
 * (~12 µs each on the benchmark machine), a full copy of the 1 GiB dataset took 49,500 of
 * them, ~0.6 s of CPU. With the tunable `glibc.malloc.hugetlb=1`, malloc asks for
 * transparent huge pages (madvise), and a 2 MiB page faults once: 17,300 faults, and the
 * copy 0.2–0.3 s sooner. glibc reads its tunables only when a process starts: the command
 * starts itself again with it (see bin/ferry.mjs), which costs a second Node start-up
 * (0.07–0.1 s there). See docs/benchmarks.md.
 */

import { readFileSync } from 'node:fs';

/** Commands that read or write a repository's packs (serve and job run the engine's jobs). */
const DATA_COMMANDS = new Set(['backup', 'restore', 'verify', 'copy', 'job', 'serve']);

const TUNABLE = 'glibc.malloc.hugetlb';

/**
 * The environment to start `command` again with, or undefined to run it as it is: not on
 * Linux, not a data command, the tunable already set (by this restart, or by an admin:
 * `glibc.malloc.hugetlb=0` turns it off), or transparent huge pages off. `thp` gives the
 * contents of /sys/kernel/mm/transparent_hugepage/enabled (undefined when it cannot be
 * read); it is asked only when all else says restart, so other commands read nothing.
 */
export function hugePagesRestart(
  platform: string,
  env: Readonly<Record<string, string | undefined>>,
  command: string | undefined,
  thp: () => string | undefined,
): Record<string, string | undefined> | undefined {
  if (platform !== 'linux' || command === undefined || !DATA_COMMANDS.has(command)) return undefined;
  const tunables = env['GLIBC_TUNABLES'];
  if (tunables?.split(':').some((setting) => setting.startsWith(`${TUNABLE}=`))) return undefined;
  if (!/\[(always|madvise)\]/.test(thp() ?? '')) return undefined;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${TUNABLE}=1` : `${TUNABLE}=1` };
}

/** This machine's transparent huge page setting ("always [madvise] never"), undefined where there is none. */
export function transparentHugePages(): string | undefined {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    return undefined;
  }
}
