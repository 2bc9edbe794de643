import type { RetentionPreviewInput } from '../../shared/contract/retention.ts';
import type { RestorePointList } from '../../shared/domain/backup.ts';
import { previewRetention, type RetentionPreview } from '../../shared/retention/preview.ts';
import { processTimeZone } from '../../shared/schedule/local-time.ts';

/**
 * retention.preview: the given points, or one workload's points read from its backup
 * (files that cannot be read are named in the notes: retention cannot see them either).
 */
export async function previewRetentionOf(
  input: RetentionPreviewInput,
  readPoints: (repositoryId: string, folder: string, workload: string) => Promise<RestorePointList>,
  now: Date,
): Promise<RetentionPreview> {
  const listed = input.backup ? await readPoints(input.backup.repositoryId, input.backup.folder, input.backup.workload) : undefined;
  const preview = previewRetention({
    retention: input.retention,
    points: listed?.points ?? input.points ?? [],
    schedule: input.schedule,
    months: input.months,
    now: input.now ? new Date(input.now) : now,
    timeZone: processTimeZone(),
  });
  for (const item of listed?.damaged ?? []) preview.notes.push(`${item.key} cannot be read (${item.message}): its point is not in this preview.`);
  return preview;
}
