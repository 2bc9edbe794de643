import { formatBytes } from '../../shared/format/bytes.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore, DamagedItem } from '../repository/backup-store.ts';
import { writeHealList } from '../repository/heal-list.ts';
import { acquireLock } from '../repository/locks.ts';
import type { HealList, PointManifest } from '../repository/schemas.ts';
import { TreeReader } from '../repository/trees.ts';
import { type Clock, systemClock } from '../util/clock.ts';
import { repairIndex, type RepairReport } from './repair.ts';
import { type Damage, type DamagedBlob, verifyBackup } from './verify.ts';
import { count } from '../../shared/format/count.ts';

/** A point that needs chunks the backup's index no longer has. */
export interface PointNeedingHeal {
  point: string;
  workload: string;
  /** Chunks (and trees) it needs that are not in the index. */
  missing: number;
}

export interface HealthReport {
  /** The backup (`<location>/<folder>`), for messages. */
  backup: string;
  kind: 'folder-backup' | 'backup-copy';
  /** When the check ran (the caller's clock): what a job records as its last health check. */
  at: string;
  points: number;
  chunksChecked: number;
  bytesChecked: number;
  packsChecked: number;
  /** Every chunk the points need that was damaged or missing, with the pack the index placed it in. */
  damaged: DamagedBlob[];
  /** Damaged chunks taken out of the index: they are fetched again (copies) or stored again (folder backups). */
  dropped: string[];
  /**
   * The points that need chunks the index no longer has: damaged until healed, never
   * good. Also written to the backup's heal list, which the next copy run reads.
   */
  pointsNeedingHeal: PointNeedingHeal[];
  /** Points damaged beyond a missing chunk (their trees hold more than their manifest claims): no fetch heals them. */
  malformed: Damage[];
  /** Damaged files of the backup (point files, index files, pack headers), by key. */
  damagedFiles: DamagedItem[];
  /** What the index rebuild did (absent when nothing was damaged and no rebuild was asked for). */
  repair?: RepairReport;
}

export interface HealthCheckOptions {
  log?: (line: string) => void;
  /** Throws to stop (between packs and chunks). */
  checkCancelled?: () => void;
  /** How long to wait for the backup's readers and writers; after that `conflict`, naming the holder. */
  waitMs?: number;
  /** Stops the wait for the lock, and the check. */
  signal?: AbortSignal;
  /** Why, as other runs see it while they wait ("health check of job X"). */
  purpose: string;
  /** Rebuild the index from the packs even when nothing is damaged (`ferry verify --repair`: indexes packs no index file describes). */
  rebuildIndex?: boolean;
  /** What dates the report (`at`). */
  clock?: Clock;
}

/**
 * Which of `missing` each point needs, walking its trees (each distinct tree once): a
 * tree that is itself missing or cannot be read counts, and hides what is below it (a
 * heal fetches it, and then what it lists).
 */
async function missingByPoint(backup: BackupStore, points: readonly PointManifest[], missing: ReadonlySet<string>): Promise<Map<string, Set<string>>> {
  const trees = new TreeReader(backup);
  const below = new Map<string, Promise<Set<string>>>();
  const walk = (treeId: string): Promise<Set<string>> => {
    let found = below.get(treeId);
    if (!found) below.set(treeId, (found = walkOnce(treeId)));
    return found;
  };
  const walkOnce = async (treeId: string): Promise<Set<string>> => {
    const found = new Set<string>();
    if (missing.has(treeId)) return found.add(treeId);
    let nodes;
    try {
      ({ nodes } = await trees.read(treeId));
    } catch (error) {
      if (!(error instanceof FerryError) || (error.code !== 'corrupt_data' && error.code !== 'not_found')) throw error;
      return found.add(treeId);
    }
    for (const node of nodes) {
      if (node.type === 'file') for (const id of node.content) if (missing.has(id)) found.add(id);
      if (node.type === 'dir') for (const id of await walk(node.subtree)) found.add(id);
    }
    return found;
  };
  const byPoint = new Map<string, Set<string>>();
  for (const point of points) byPoint.set(point.id, await walk(point.tree));
  return byPoint;
}

/**
 * The health check of a backup, under its exclusive lock (taken here, waiting up to
 * `waitMs`): reads every chunk its points need and checks it, and every pack header
 * (verifyBackup). When anything is damaged or missing, the index is rebuilt from the
 * packs (repairIndex: damaged packs set aside in quarantine/, their intact chunks
 * rewritten), which drops the damaged chunks from it; the points that need them are
 * listed in the report and in the backup's heal list, which the next copy run reads to
 * fetch them again from the sources. A clean check removes a heal list left from
 * before. A check that fails before its end may leave chunks dropped and unlisted: its
 * caller records no check, so the next run checks again, which lists them.
 */
export async function healthCheck(backup: BackupStore, options: HealthCheckOptions): Promise<HealthReport> {
  const { signal } = options;
  const log = options.log ?? (() => undefined);
  const checkCancelled = () => {
    options.checkCancelled?.();
    if (signal?.aborted) throw new FerryError('cancelled', `The health check of ${backup.where} was stopped.`);
  };
  const lock = await acquireLock(backup.store, backup.folder, 'exclusive', {
    purpose: options.purpose,
    log,
    ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
    ...(signal ? { signal } : {}),
  });
  try {
    await backup.checkUnchanged();
    const at = new Date((options.clock ?? systemClock).now()).toISOString();
    const listing = await backup.listPoints();
    const points = listing.points;
    const verified = await verifyBackup({ backup, points, checkCancelled });
    const report: HealthReport = {
      backup: backup.where,
      kind: backup.config.kind,
      at,
      points: points.length,
      chunksChecked: verified.blobsChecked,
      bytesChecked: verified.bytesChecked,
      packsChecked: verified.packsChecked,
      damaged: verified.damagedBlobs,
      dropped: [],
      pointsNeedingHeal: [],
      malformed: verified.damage.filter((damage) => damage.path === '/' && !verified.damagedBlobs.some((blob) => blob.id === damage.blobId)),
      damagedFiles: [...verified.damagedFiles, ...listing.damaged],
    };
    const damaged = new Set(verified.damagedBlobs.map((blob) => blob.id));
    // Which points need what, read while the old index still places every tree.
    const needing = damaged.size === 0 ? new Map<string, Set<string>>() : await missingByPoint(backup, points, damaged);
    if (damaged.size > 0 || report.damagedFiles.length > 0 || options.rebuildIndex) {
      checkCancelled();
      const indexed = [...damaged].filter((id) => backup.has(id));
      report.repair = await repairIndex({ backup, log, checkCancelled });
      // The view of the backup is the new index alone (the old files' blobs are still in memory).
      await backup.reloadIndex();
      report.dropped = indexed.filter((id) => !backup.has(id)).sort();
    }
    // Only chunks the index lacks are listed: one that is in it again later came back whole (writers check what they add).
    const healList: HealList = {
      format: 'ferry-heal',
      version: 1,
      checked: at,
      points: points
        .map((point) => ({ id: point.id, workload: point.workload, chunks: [...(needing.get(point.id) ?? [])].filter((id) => !backup.has(id)).sort() }))
        .filter((point) => point.chunks.length > 0),
    };
    await writeHealList(backup, healList);
    report.pointsNeedingHeal = healList.points.map((point) => ({ point: point.id, workload: point.workload, missing: point.chunks.length }));
    return report;
  } finally {
    await lock.release();
  }
}

/** At most this many chunks are named one by one, of each kind (all are in the report). */
const CHUNK_LINES = 20;

function capped<T>(items: readonly T[], line: (item: T) => string, what: string): string[] {
  const lines = items.slice(0, CHUNK_LINES).map(line);
  if (items.length > CHUNK_LINES) lines.push(`… and ${items.length - CHUNK_LINES} more ${what}.`);
  return lines;
}

/** What a health check found and did, in lines for a session's log and the CLI ("DAMAGED" and "LOST" lines are warnings). */
/** Whether the check found anything damaged or missing (chunks, files of the backup, points), lost or not. */
export function foundDamage(report: HealthReport): boolean {
  return report.damaged.length + report.damagedFiles.length + report.malformed.length + (report.repair?.lostPoints.length ?? 0) > 0;
}

export function describeHealth(report: HealthReport): string[] {
  const repair = report.repair;
  const lost = new Set(repair?.lost.map((blob) => blob.id));
  const lines = [
    `Health check of ${report.backup}: ${count(report.points, 'restore point', 'restore points')}, ${count(report.chunksChecked, 'chunk', 'chunks')} (${formatBytes(report.bytesChecked)}) read and checked, ${count(report.packsChecked, 'pack header', 'pack headers')}.`,
    // A chunk the rebuild lost is named once, below, with its pack.
    ...capped(
      report.damaged.filter((blob) => !lost.has(blob.id)),
      (blob) => `DAMAGED chunk ${blob.id}${blob.pack ? ` in pack ${blob.pack}` : ' (in no index file)'}: ${blob.message}`,
      'damaged chunks',
    ),
    ...report.damagedFiles.map((item) => `DAMAGED ${item.key}: ${item.message}`),
    ...report.malformed.map((damage) => `DAMAGED point ${damage.point} of ${damage.workload}: ${damage.message}`),
  ];
  if (repair) {
    lines.push(
      `Index rebuilt from ${count(repair.packsRead, 'pack', 'packs')}: ${count(repair.blobsIndexed, 'chunk', 'chunks')} in ${count(repair.indexFilesWritten, 'new index file', 'new index files')}, ${count(repair.indexFilesRemoved, 'old one', 'old ones')} removed; ${count(report.dropped.length, 'damaged chunk', 'damaged chunks')} dropped from it.`,
      ...repair.packsRewritten.map((pack) => `REWROTE the ${count(pack.blobs, 'intact blob', 'intact blobs')} of damaged pack ${pack.from} into ${pack.to}`),
      ...repair.quarantined.map((key) => `QUARANTINED ${key} (kept aside, not deleted)`),
      ...capped(repair.lost, (blob) => `LOST blob ${blob.id} of pack ${blob.pack}: ${blob.message}`, 'lost blobs'),
    );
  }
  const heals = report.kind === 'backup-copy' ? 'the next copy run fetches them again from its source' : 'the next backup run stores them again from the files that did not change';
  for (const point of report.pointsNeedingHeal) {
    lines.push(`DAMAGED point ${point.point} of ${point.workload}: ${count(point.missing, 'chunk it needs is', 'chunks it needs are')} not in the backup any more; ${heals}.`);
  }
  const lostPoints = repair?.lostPoints.length ?? 0;
  if (lostPoints > 0) lines.push(`LOST ${count(lostPoints, 'restore point', 'restore points')}: ${lostPoints === 1 ? 'its file' : 'their files'} could not be read, and ${lostPoints === 1 ? 'was' : 'were'} moved aside.`);
  lines.push(foundDamage(report) ? `${count(report.pointsNeedingHeal.length, 'point', 'points')} damaged until healed, ${report.malformed.length} damaged beyond that, ${lostPoints} lost.` : 'No damage found.');
  return lines;
}
