import { stat } from 'node:fs/promises';
import { formatBytes } from '../../shared/format/bytes.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { runBackup } from '../backup/run-backup.ts';
import type { Workload } from '../backup/folder-backup.ts';
import type { DamagedItem } from '../repository/backup-store.ts';
import { acquireReadLock } from '../repository/locks.ts';
import { Repository } from '../repository/repository.ts';
import { restorePoint } from '../restore/restore.ts';
import { describeHealth, healthCheck, type HealthReport } from '../verify/health-check.ts';
import { verifyBackup, type VerifyResult } from '../verify/verify.ts';
import type { PointManifest } from '../repository/schemas.ts';
import { escapeName } from './escape.ts';
import { locationName } from './location.ts';
import { openBackups, type OpenedBackups } from './open-backups.ts';
import { readPassword } from './password.ts';
import { askedFailed, cliPasswords, noteUnopened, warnDamaged, withStore } from './backup-access.ts';
import { errnoWords } from '../util/errno-words.ts';

// Where they were first: commands elsewhere may still import them from here.
export { askedFailed, cliPasswords, noteUnopened, withStore };

export interface CommandIo {
  json: boolean;
  print(data: unknown, text: () => string): void;
  /** Progress and warnings for people; never on stdout, so --json stays parseable. */
  note(line: string): void;
}

/** The opened backup holding the point (its index not read yet, see openBackups), and the point. */
export async function findPoint(io: CommandIo, repository: Repository, { opened, unopened }: OpenedBackups, pointId: string) {
  const damaged: DamagedItem[] = [];
  for (const backup of opened) {
    const listing = await backup.listPoints();
    damaged.push(...listing.damaged);
    const point = listing.points.find((p) => p.id === pointId || (pointId.length >= 8 && p.id.startsWith(pointId)));
    if (point) return { backup, point };
  }
  warnDamaged(io, damaged);
  const unread = damaged.length === 0 ? '' : ` (${damaged.length} damaged file(s) could not be read: ${damaged.map((item) => item.key).join(', ')})`;
  const unsearched = unopened.length === 0 ? '' : ` It may be in ${unopened.map((b) => `"${escapeName(b.name)}"`).join(', ')}, which could not be opened.`;
  throw new FerryError('not_found', `No restore point ${pointId} in ${repository.store.location}${unread}.${unsearched}`);
}

export async function repoInit(io: CommandIo, location: string, encrypt: boolean): Promise<number> {
  // Asked before the folder is made: a missing password leaves nothing behind.
  const password = encrypt ? await readPassword(`the new repository at ${locationName(location)}`, { confirm: true }) : undefined;
  return withStore(
    location,
    async (store) => {
      const repository = await Repository.init(store, password === undefined ? {} : { password });
      io.print({ id: repository.marker.id, location: store.location, encrypted: repository.encrypted }, () =>
        `Created ${repository.encrypted ? 'an encrypted' : 'a'} Ferry repository at ${store.location}`,
      );
      return 0;
    },
    true,
  );
}

export async function repoPasswd(io: CommandIo, location: string): Promise<number> {
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    const current = await readPassword(`${store.location} (current)`);
    const next = process.env['FERRY_NEW_PASSWORD'] || (await readPassword(`${store.location} (new)`, { confirm: true, ignoreEnv: true }));
    const backups = await repository.changePassword(current, next);
    io.print({ location: store.location, backups }, () => `Changed the password of ${store.location} and of its ${backups} encrypted backup(s). No data was re-encrypted.`);
    return 0;
  });
}

/** `--workload name=folder`; a name may repeat to back up several folders as one workload. */
export function parseWorkloads(values: string[], excludes: string[]): Workload[] {
  const byName = new Map<string, Workload>();
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new FerryError('invalid_input', `--workload wants name=folder, not "${value}".`);
    const name = value.slice(0, at);
    const workload = byName.get(name) ?? { name, folders: [], excludes };
    workload.folders.push(value.slice(at + 1));
    byName.set(name, workload);
  }
  if (byName.size === 0) throw new FerryError('invalid_input', 'Name at least one --workload name=folder.');
  return [...byName.values()];
}

/** Every folder named is a folder: a typo fails the command before the job's backup is made. */
async function checkFolders(workloads: readonly Workload[]): Promise<void> {
  for (const workload of workloads) {
    for (const folder of workload.folders) {
      const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
        throw new FerryError('not_found', `The folder ${folder} of workload ${workload.name} cannot be read: ${errnoWords(error)}. Nothing was backed up.`);
      });
      if (!info.isDirectory()) throw new FerryError('invalid_input', `${folder} (workload ${workload.name}) is not a folder. Nothing was backed up.`);
    }
  }
}

export async function backup(io: CommandIo, location: string, job: string, workloads: Workload[]): Promise<number> {
  await checkFolders(workloads);
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    // Not checked here: opening (or creating) the job's backup checks it before anything
    // is written, and each check is a scrypt derivation (~0.1 s).
    const password = repository.encrypted ? await readPassword(store.location) : undefined;
    const { tasks } = await runBackup({
      store,
      jobName: job,
      workloads,
      ...(password === undefined ? {} : { password }),
      log: io.note,
      onProgress: (p) => io.note(`${p.workload}: ${p.files} files, ${formatBytes(p.bytesRead)} read, ${formatBytes(p.bytesNew)} new`),
    });
    io.print(
      tasks.map((t) => ({ workload: t.workload, result: t.result, reason: t.reason, point: t.point?.id, stats: t.point?.stats, warnings: t.warnings })),
      () =>
        tasks
          .map((t) =>
            t.point
              ? `${t.point.id}  ${t.workload}  ${t.result}  ${t.point.stats.files} files, ${formatBytes(t.point.stats.bytes)}, ${formatBytes(t.point.stats.bytesNew)} new${t.reason ? ` (${t.reason})` : ''}`
              : `failed  ${t.workload}: ${t.reason}`,
          )
          .join('\n'),
    );
    for (const task of tasks) for (const warning of task.warnings) io.note(`warning: ${warning}`);
    return tasks.every((t) => t.result === 'success' || t.result === 'warning') ? 0 : 1;
  });
}

export async function points(io: CommandIo, location: string, job: string | undefined): Promise<number> {
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    const { opened, unopened } = await openBackups(repository, cliPasswords, job);
    const rows: (PointManifest & { job: string; folder: string })[] = [];
    const damaged: DamagedItem[] = [];
    for (const backup of opened) {
      const listing = await backup.listPoints();
      damaged.push(...listing.damaged);
      for (const point of listing.points) rows.push({ job: backup.config.name, folder: backup.folder, ...point });
    }
    io.print(rows, () =>
      rows.length === 0
        ? 'No restore points.'
        : rows
            .map((r) => `${r.id}  ${r.created}  ${escapeName(r.job)} / ${escapeName(r.workload)}  ${r.stats.files} files, ${formatBytes(r.stats.bytes)}`)
            .join('\n'),
    );
    warnDamaged(io, damaged);
    noteUnopened(io, unopened);
    return askedFailed(unopened, job) ? 1 : 0;
  });
}

export async function restore(
  io: CommandIo,
  location: string,
  pointId: string,
  target: string,
  { paths, keepSpecialBits, job }: { paths: string[]; keepSpecialBits: boolean; job?: string | undefined },
): Promise<number> {
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    const backups = await openBackups(repository, cliPasswords, job);
    noteUnopened(io, backups.unopened);
    const { backup, point } = await findPoint(io, repository, backups, pointId);
    const lock = await acquireReadLock(store, backup.folder, { purpose: `restore of point ${point.id}`, log: io.note });
    try {
      const result = await restorePoint({ backup, point, target, keepSpecialBits, ...(paths.length ? { paths } : {}) });
      io.print(result, () =>
        [
          `Restored ${result.files} files, ${result.dirs} folders, ${result.symlinks} links (${formatBytes(result.bytes)}) to ${target}`,
          ...result.problems.map((p) => `FAILED ${escapeName(p.path)}: ${p.message}`),
        ].join('\n'),
      );
      return result.problems.length === 0 ? 0 : 1;
    } finally {
      await lock.release();
    }
  });
}

/**
 * Verifies every backup (or one point), going on past damage: everything found is listed,
 * with counts, and the exit code is 1 when anything is damaged. `repair` first rebuilds
 * each backup's index from its packs under the backup's exclusive lock (see repairIndex).
 */
export async function verify(io: CommandIo, location: string, pointId: string | undefined, options: { repair?: boolean; job?: string | undefined } = {}): Promise<number> {
  const { repair = false, job } = options;
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    const backups = await openBackups(repository, cliPasswords, job);
    const damagedConfigs = noteUnopened(io, backups.unopened);
    // One point asked for: the backups that could not be opened failed nothing asked for, once it is found.
    const targets = pointId
      ? [await findPoint(io, repository, backups, pointId)].map(({ backup, point }) => ({ backup, points: [point] }))
      : backups.opened.map((backup) => ({ backup, points: undefined }));
    const damagedBackups = pointId ? [] : damagedConfigs;
    const unopened = pointId ? [] : backups.unopened.filter((b) => b.code !== 'corrupt_data' && askedFailed([b], job));
    const reports: (VerifyResult & { backup: string; repair?: HealthReport['repair']; health?: Omit<HealthReport, 'repair'> })[] = [];
    for (const { backup: listed, points: selected } of targets) {
      let backup = listed;
      let health: HealthReport | undefined;
      if (repair) {
        // The health check a job runs, under the backup's exclusive lock, with the index rebuilt even when nothing is damaged.
        health = await healthCheck(listed, { purpose: 'verify --repair', log: io.note, rebuildIndex: true });
        // Verified as the next reader sees it: the new index alone.
        backup = await repository.openBackup(listed.folder, backups.passwords.get(listed.folder), { index: false });
      }
      // Reading goes on without a lock where none can be written.
      const lock = await acquireReadLock(store, listed.folder, { purpose: 'verify', log: io.note });
      try {
        const result = await verifyBackup({ backup, ...(selected ? { points: selected } : {}) });
        if (!health) reports.push({ backup: backup.folder, ...result });
        else {
          const { repair: repaired, ...checked } = health;
          reports.push({ backup: backup.folder, ...result, ...(repaired ? { repair: repaired } : {}), health: checked });
        }
      } finally {
        await lock.release();
      }
    }
    const damage = reports.flatMap((r) => r.damage.map((d) => ({ backup: r.backup, ...d })));
    // A point file a repair moved aside is a point lost: still damage, though verify no longer sees it.
    const lostPoints = reports.flatMap((r) => (r.repair?.lostPoints ?? []).map((key) => ({ key, message: 'the file of a restore point could not be read: moved aside, the point is lost' })));
    const files = [...damagedBackups, ...reports.flatMap((r) => r.damagedFiles), ...lostPoints];
    const points = new Set(damage.map((d) => `${d.backup}/${d.point}`));
    const counts = { damagedChunks: damage.length, damagedPoints: points.size, damagedFiles: files.length };
    io.print({ backups: reports, damagedBackups, unopened, counts }, () =>
      [
        ...reports.flatMap((r) => (r.health ? describeHealth({ ...r.health, ...(r.repair ? { repair: r.repair } : {}) }) : [])),
        ...reports.map(
          (r) =>
            `${r.backup}: ${r.points} points, ${r.blobsChecked} chunks (${formatBytes(r.bytesChecked)}) checked, ${r.packsChecked} pack headers checked` +
            (r.unindexedPacks.length ? `; ${r.unindexedPacks.length} pack(s) not in the index (verify --repair indexes them)` : ''),
        ),
        ...damage.map((d) => `DAMAGED point ${d.point} (${escapeName(d.workload)}) file ${escapeName(d.path)}: chunk ${d.blobId}: ${d.message}`),
        ...files.map((item) => `DAMAGED ${item.key}: ${item.message}`),
        ...unopened.map((b) => `NOT CHECKED ${b.folder}: it could not be opened (${b.code ?? 'error'})`),
        damage.length + files.length === 0
          ? 'No damage found.'
          : `Damage found: ${damage.length} damaged file(s) in ${points.size} point(s), ${files.length} damaged file(s) of the repository.` +
            (repair ? '' : ' ferry verify --repair rebuilds the index from the packs and moves aside what cannot be read.'),
      ].join('\n'),
    );
    return damage.length + files.length + unopened.length === 0 ? 0 : 1;
  });
}
