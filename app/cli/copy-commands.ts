import { formatBytes } from '../../shared/format/bytes.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { type CopyTask, runCopy, type SourceBackup, type UnavailableSource } from '../copy/run-copy.ts';
import { prepareCopyTarget } from '../copy/target.ts';
import { TokenBucket, unthrottled } from '../copy/throttle.ts';
import { Repository } from '../repository/repository.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { closeStore, storeFromArgument } from './location.ts';
import { openBackups } from './open-backups.ts';
import { askPassword, readPassword } from './password.ts';
import type { CommandIo } from './repo-commands.ts';

export interface CopyArguments {
  from: string;
  to: string;
  job: string;
  workloads: string[];
  encrypt: boolean;
  /** Copy encrypted backups into an unencrypted target (refused without it). */
  allowPlaintext: boolean;
  parallel: number;
  /** Bytes per second; undefined: no limit. */
  limit: number | undefined;
}

export function copySummary(tasks: readonly CopyTask[]): string {
  return tasks
    .map((t) => {
      const head = `${t.result.padEnd(7)}  ${t.workload}`;
      if (t.points.length === 0) return `${head}${t.reason ? `: ${t.reason}` : ''}`;
      const points = t.points.map((p) => p.id).join(', ');
      return `${head}: point ${points}, ${formatBytes(t.bytesRead)} read, ${formatBytes(t.bytesStored)} written${t.reason ? ` (${t.reason})` : ''}`;
    })
    .join('\n');
}

/**
 * `ferry copy`: one copy run from every backup of one repository (or the chosen
 * workloads) into the job's backup on another, created on the first run. The source's
 * password comes from FERRY_PASSWORD, the target's from FERRY_TARGET_PASSWORD.
 */
export async function copy(io: CommandIo, args: CopyArguments): Promise<number> {
  const stores: ObjectStore[] = [];
  try {
    const fromStore = await storeFromArgument(args.from);
    stores.push(fromStore);
    const toStore = await storeFromArgument(args.to);
    stores.push(toStore);
    const source = await Repository.open(fromStore);
    const target = await Repository.open(toStore);
    if (source.marker.id === target.marker.id) {
      throw new FerryError('invalid_input', `${args.from} and ${args.to} are the same repository: a copy must go to another repository.`);
    }
    // An encrypted repository's password is checked at once; in a plain one, an encrypted backup is opened with FERRY_PASSWORD (or asked for).
    const sourcePassword = source.encrypted ? await readPassword(fromStore.location) : process.env['FERRY_PASSWORD'] || undefined;
    const targetPassword =
      target.encrypted || args.encrypt
        ? await readPassword(`${toStore.location} (target)`, { env: 'FERRY_TARGET_PASSWORD', confirm: args.encrypt })
        : undefined;
    // Each key costs a scrypt derivation (~0.15 s): the sources' and the target's are
    // derived at once, on the thread pool (see prepareCopyTarget). A source backup that
    // cannot be opened fails its own part of the copy, not the others' (see openBackups).
    const openSources = source.checkPassword(sourcePassword).then(() => openBackups(source, { given: sourcePassword, ask: askPassword }));
    const [{ opened, unopened }, prepared] = await Promise.all([openSources, prepareCopyTarget(target, { name: args.job, password: targetPassword })]);
    const sources = opened.map((backup): SourceBackup => ({
      backup,
      repository: fromStore.location,
      ...(args.workloads.length > 0 ? { workloads: args.workloads } : {}),
    }));
    const unavailable = unopened.map((b): UnavailableSource => ({ label: `backup "${b.name}" (${b.folder})`, reason: `it could not be opened: ${b.message} (${b.code ?? 'error'})` }));
    const { target: backup, tasks } = await runCopy({
      target: prepared,
      sources,
      unavailable,
      mode: 'newest',
      missingWorkload: 'failed',
      workloads: args.workloads,
      parallelWorkloads: args.parallel,
      plaintext: {
        allowed: args.allowPlaintext,
        howToAllow: 'Copy into an encrypted backup (--encrypt when the job\'s backup is made, or an encrypted target repository), or pass --allow-plaintext to store it unencrypted.',
      },
      throttle: args.limit === undefined ? unthrottled : new TokenBucket(() => args.limit!),
      purpose: `copy "${args.job}" (ferry copy)`,
      log: (level, message) => {
        // Of the session's info lines, the heals (of what `ferry verify --repair` found) are said too.
        if (level !== 'info' || message.startsWith('healed ')) io.note(`${level}: ${message}`);
      },
      onProgress: (workload, p) =>
        io.note(`${workload}: ${p.phase}, ${p.chunksDone}/${p.chunksTotal} chunks, ${formatBytes(p.bytesRead)} read, ${formatBytes(p.bytesTransferred)} written`),
    });
    io.print({ target: backup?.where ?? null, tasks: tasks.map((t) => ({ ...t, points: t.points.map((p) => p.id) })) }, () => {
      if (backup) return `Copied into ${backup.where}\n${copySummary(tasks)}`;
      // The job had no backup there and got none: no source had a point to put in it.
      if (tasks.length === 0) return `Nothing to copy: ${fromStore.location} has no restore points.`;
      return `Nothing to copy, so no backup was made on ${toStore.location}\n${copySummary(tasks)}`;
    });
    return tasks.every((t) => t.result === 'success' || t.result === 'warning') ? 0 : 1;
  } finally {
    for (const store of stores) closeStore(store);
  }
}
