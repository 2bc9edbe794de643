import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sourceFingerprint } from '../../app/scheduler/fingerprint.ts';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import { backupCopyJob } from '../../shared/domain/job.ts';

const backup = (workloads: BackupSummary['workloads']): BackupSummary => ({
  repositoryId: 'nas',
  folder: 'Files',
  backupId: 'b1',
  name: 'Files',
  kind: 'folder-backup',
  jobId: null,
  encrypted: false,
  created: '2026-05-04T00:00:00Z',
  sizeBytes: 1,
  readable: true,
  damaged: [],
  workloads,
});

it('a copy job\'s source fingerprint changes with a new point of a workload it copies, not of one it leaves out', () => {
  const job = backupCopyJob.parse({
    kind: 'backup-copy',
    name: 'Offsite',
    repositoryId: 'offsite',
    sources: [{ kind: 'backup', repositoryId: 'nas', backupId: 'b1', workloads: ['docs', 'mail'] }],
    exclusions: ['mail'],
  });
  const fingerprint = (workloads: BackupSummary['workloads']) => sourceFingerprint(job, () => undefined, [backup(workloads)]);
  const before = fingerprint([
    { name: 'docs', points: 1, newest: '2026-05-04T01:00:00Z' },
    { name: 'mail', points: 1, newest: '2026-05-04T01:00:00Z' },
    { name: 'logs', points: 1, newest: '2026-05-04T01:00:00Z' },
  ]);
  const otherPoints = fingerprint([
    { name: 'docs', points: 1, newest: '2026-05-04T01:00:00Z' },
    { name: 'mail', points: 2, newest: '2026-05-04T02:00:00Z' },
    { name: 'logs', points: 2, newest: '2026-05-04T02:00:00Z' },
  ]);
  assert.equal(otherPoints, before, 'an excluded workload and one the source does not choose change nothing');
  const newDocs = fingerprint([
    { name: 'docs', points: 2, newest: '2026-05-04T02:00:00Z' },
    { name: 'mail', points: 1, newest: '2026-05-04T01:00:00Z' },
    { name: 'logs', points: 1, newest: '2026-05-04T01:00:00Z' },
  ]);
  assert.notEqual(newDocs, before);
});
