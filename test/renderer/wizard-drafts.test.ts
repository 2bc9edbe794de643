import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import { backupCopyJob, folderBackupJob } from '../../shared/domain/job.ts';
import { type CopyContext, copyDefinitionOf, copyDraftFrom, emptyCopyDraft, passwordToSend, validateCopy, withKey, COPY_STEP_FIELDS } from '../../renderer/wizard/copy/draft.ts';
import { describeSource, firstRunBound, mappableBackups } from '../../renderer/wizard/copy/sources.ts';
import { errorsOfStep, fieldKey, fieldShowing, firstStepWithErrors, stepOfField, withoutErrors } from '../../renderer/wizard/fields-of.ts';
import { emptyFolderDraft, folderDefinitionOf, folderDraftFrom, newWorkload, validateFolder } from '../../renderer/wizard/folder/draft.ts';

const OWNED = Object.values(COPY_STEP_FIELDS);
const NAS = 'repo-nas';
const MAIN = 'repo-main';

function context(jobs: Record<string, string> = {}, folders?: Record<string, string[]>): CopyContext {
  return {
    repositoryOfJob: (id) => jobs[id],
    repositoryKnown: (id) => id === NAS || id === MAIN,
    mappableFolders: (repositoryId) => (folders ? (folders[repositoryId] ?? []) : undefined),
  };
}

function backup(overrides: Partial<BackupSummary>): BackupSummary {
  return {
    repositoryId: NAS,
    folder: 'Office',
    backupId: 'b1',
    name: 'Office',
    kind: 'folder-backup',
    jobId: null,
    encrypted: false,
    created: '2026-12-01T10:00:00.000Z',
    sizeBytes: 1000,
    readable: true,
    damaged: [],
    workloads: [{ name: 'docs', points: 3 }],
    ...overrides,
  };
}

/** A copy draft that passes every check. */
function goodCopy() {
  return { ...emptyCopyDraft(MAIN), name: 'Offsite', sources: [withKey({ kind: 'repository', repositoryId: NAS })] };
}

describe('where wizard messages go', () => {
  test('paths of zod and of the engine become the field keys steps register', () => {
    assert.equal(fieldKey('definition.retention.keepPoints'), 'retention.keepPoints');
    assert.equal(fieldKey(['sources', 0]), 'sources.0');
    assert.equal(fieldKey([]), 'form');
    assert.equal(fieldKey('password'), 'password');
  });

  test('each message belongs to the step owning a prefix of it, the rest to the Summary', () => {
    assert.equal(stepOfField(OWNED, 'name'), 0);
    assert.equal(stepOfField(OWNED, 'sources.2'), 1);
    assert.equal(stepOfField(OWNED, 'retention.gfs.weekly'), 2);
    assert.equal(stepOfField(OWNED, 'mapping'), 3);
    assert.equal(stepOfField(OWNED, 'password'), 4);
    assert.equal(stepOfField(OWNED, 'dataPath.throttleBytesPerSecond'), 5);
    assert.equal(stepOfField(OWNED, 'window'), 6);
    assert.equal(stepOfField(OWNED, 'kind'), 7);
    // A prefix is a whole segment: "retentionX" is not under "retention".
    assert.equal(stepOfField(OWNED, 'retentionX'), 7);
    const errors = { 'retention.keepPoints': 'a', 'schedule.every': 'b', name: 'c' };
    assert.equal(firstStepWithErrors(OWNED, errors), 0);
    assert.deepEqual(errorsOfStep(OWNED, errors, 6), { 'schedule.every': 'b' });
    assert.equal(firstStepWithErrors(OWNED, {}), null);
  });

  test('a message is shown by the nearest registered field, and editing a field clears what is under it', () => {
    assert.equal(fieldShowing(['window', 'retention', 'retention.gfs'], 'retention.gfs.weekly'), 'retention.gfs');
    assert.equal(fieldShowing(['window'], 'window.3'), 'window');
    assert.equal(fieldShowing(['window'], 'schedule.every'), null);
    const errors = { 'sources.0': 'x', sources: 'y', name: 'z' };
    assert.deepEqual(withoutErrors(errors, ['sources']), { name: 'z' });
    assert.equal(withoutErrors(errors, ['description']), errors);
  });
});

describe('the backup copy job draft', () => {
  test('a good draft has no message and becomes a definition the engine schema accepts', () => {
    const draft = goodCopy();
    assert.deepEqual(validateCopy(draft, context()), {});
    const parsed = backupCopyJob.parse(copyDefinitionOf(draft));
    assert.deepEqual(parsed.sources, [{ kind: 'repository', repositoryId: NAS }]);
    assert.equal(parsed.mapping, null);
  });

  test('each step has its message at its field, worded by the engine schema', () => {
    const errors = validateCopy({ ...emptyCopyDraft(), retention: { ...emptyCopyDraft().retention, keepPoints: '0' } }, context());
    assert.equal(errors.name, 'Enter a job name.');
    assert.equal(errors.sources, 'Add at least one source.');
    assert.equal(errors.repositoryId, 'Choose a target repository.');
    assert.equal(errors['retention.keepPoints'], 'Keep at least 1 restore point.');
  });

  test('the target may not be a source\'s repository, nor a job source one that is gone', () => {
    const draft = { ...goodCopy(), repositoryId: NAS };
    assert.match(validateCopy(draft, context()).repositoryId!, /A source reads from this repository/);
    const viaJob = { ...goodCopy(), sources: [withKey({ kind: 'job', jobId: 'daily' })] };
    assert.match(validateCopy({ ...viaJob, repositoryId: MAIN }, context({ daily: MAIN })).repositoryId!, /A source reads from this repository/);
    assert.deepEqual(validateCopy(viaJob, context({ daily: NAS })), {});
    assert.match(validateCopy(viaJob, context({})) ['sources.0']!, /does not exist any more/);
  });

  test('a target repository that was removed is said at the target, for both kinds', () => {
    const gone = { ...goodCopy(), repositoryId: 'removed' };
    assert.match(validateCopy(gone, context()).repositoryId!, /no longer registered: choose another, or add it again/);
    const folder = { ...emptyFolderDraft('removed'), name: 'Office', workloads: [newWorkload('docs', '/data/docs')] };
    assert.match(validateFolder(folder, (id) => id === MAIN).repositoryId!, /no longer registered/);
    assert.deepEqual(validateFolder({ ...folder, repositoryId: MAIN }, (id) => id === MAIN), {});
  });

  test('a window that never opens is refused for a job that runs by itself, at the window', () => {
    const draft = goodCopy();
    const closed = { ...draft, schedule: { ...draft.schedule, schedule: { ...draft.schedule.schedule, mode: 'immediate' as const }, window: { limited: true, masks: [0, 0, 0, 0, 0, 0, 0] } } };
    assert.match(validateCopy(closed, context()).window!, /never opens/);
    assert.equal(stepOfField(OWNED, 'window'), 6);
  });

  test('a mapped backup must be one the target offers', () => {
    const draft = { ...goodCopy(), mapping: 'Seed' };
    assert.match(validateCopy(draft, context({}, { [MAIN]: ['Other'] })).mapping!, /“Seed” is not in the target repository now/);
    assert.deepEqual(validateCopy(draft, context({}, { [MAIN]: ['Seed'] })), {});
    // Backups not known yet: nothing to say.
    assert.deepEqual(validateCopy(draft, context()), {});
  });

  test('an encrypted job needs a password typed twice alike; editing keeps the stored one when left empty', () => {
    const draft = { ...goodCopy(), storage: { ...goodCopy().storage, encrypted: true } };
    assert.match(validateCopy(draft, context()).password!, /Enter a password/);
    const mismatch = { ...draft, storage: { ...draft.storage, password: 'one', repeatPassword: 'two' } };
    assert.equal(validateCopy(mismatch, context()).repeatPassword, 'The passwords do not match.');
    const stored = { ...draft, passwordStored: true };
    assert.deepEqual(validateCopy(stored, context()), {});
    assert.equal(passwordToSend(stored), undefined);
    assert.equal(passwordToSend({ ...mismatch, storage: { ...mismatch.storage, repeatPassword: 'one' } }), 'one');
  });

  test('edit fills every field from the job and changes nothing it does not show; clone is a new job', () => {
    const job = backupCopyJob.parse({
      kind: 'backup-copy',
      name: 'Offsite',
      description: 'Second copy',
      sources: [{ kind: 'backup', repositoryId: NAS, backupId: 'b1', workloads: ['docs'] }],
      exclusions: ['mail'],
      repositoryId: MAIN,
      retention: { keepPoints: 14, gfs: { weekly: 4, monthly: 12 } },
      mapping: { folder: 'Seed' },
      storage: { compressionLevel: 9, encrypted: true, passwordHint: 'the comic' },
      dataPath: { parallelWorkloads: 4, throttleBytesPerSecond: 10 * 1024 * 1024 },
      schedule: { mode: 'periodic', every: 6, unit: 'hours', startAt: '2026-12-01T22:00:00.000Z', lookForward: true },
      window: [0, 0xff0000, 0xff0000, 0xff0000, 0xff0000, 0xff0000, 0],
      terminateOnWindowClose: true,
      rpoHours: 30,
      enabled: false,
    });
    const edited = copyDraftFrom(job, 'job-1', 'edit');
    assert.deepEqual(copyDefinitionOf(edited), job);
    assert.equal(edited.storage.password, '');
    assert.equal(edited.passwordStored, true);
    assert.equal(edited.jobId, 'job-1');
    assert.equal(edited.runNow, false);
    const cloned = copyDraftFrom(job, 'job-1', 'clone');
    assert.equal(cloned.name, 'Copy of Offsite');
    assert.equal(cloned.mapping, '');
    assert.equal(cloned.jobId, null);
    assert.equal(cloned.passwordStored, false);
    assert.equal(copyDraftFrom({ ...job, name: 'x'.repeat(64) }, 'j', 'clone').name.length, 64);
  });
});

describe('sources in words', () => {
  const names = {
    job: (id: string) => (id === 'daily' ? 'Daily' : undefined),
    repository: (id: string) => (id === NAS ? 'Branch NAS' : undefined),
    backup: (repositoryId: string, backupId: string) => (repositoryId === NAS && backupId === 'b1' ? { name: 'Office' } : undefined),
  };

  test('each kind of source is named, never by its id', () => {
    assert.equal(describeSource({ kind: 'job', jobId: 'daily' }, names).title, 'Job “Daily”');
    assert.equal(describeSource({ kind: 'backup', repositoryId: NAS, backupId: 'b1', workloads: ['docs', 'mail'] }, names).detail, 'Only the workloads “docs”, “mail”.');
    assert.equal(describeSource({ kind: 'workload', workload: 'docs' }, names).title, 'Workload “docs”');
    assert.equal(describeSource({ kind: 'repository', repositoryId: NAS }, names).title, 'Repository “Branch NAS”');
    for (const gone of [
      describeSource({ kind: 'job', jobId: '0123456789abcdef0123456789abcdef' }, names),
      describeSource({ kind: 'repository', repositoryId: '0123456789abcdef0123456789abcdef' }, names),
      describeSource({ kind: 'backup', repositoryId: 'x', backupId: '0123456789abcdef0123456789abcdef', workloads: [] }, names),
    ]) {
      assert.doesNotMatch(`${gone.title} ${gone.detail}`, /[0-9a-f]{32}/);
    }
  });

  test('the first run moves at most the stored size of the backups its copied workloads come from', () => {
    const backups = [backup({}), backup({ folder: 'Mail', backupId: 'b2', sizeBytes: 500 }), backup({ folder: 'Other', backupId: 'b3', sizeBytes: 7 })];
    const rows = [
      { repositoryId: NAS, folder: 'Office', skipped: null },
      { repositoryId: NAS, folder: 'Office', skipped: null },
      { repositoryId: NAS, folder: 'Mail', skipped: 'excluded' },
      { repositoryId: NAS, folder: 'Other', skipped: null },
    ];
    assert.equal(firstRunBound(rows, backups), 1007);
  });

  test('only a copy job\'s backup that no other job continues can be mapped', () => {
    const backups = [
      backup({ repositoryId: MAIN, folder: 'Primary', kind: 'folder-backup' }),
      backup({ repositoryId: MAIN, folder: 'Seed', kind: 'backup-copy', jobId: null }),
      backup({ repositoryId: MAIN, folder: 'Mine', kind: 'backup-copy', jobId: 'me' }),
      backup({ repositoryId: MAIN, folder: 'Theirs', kind: 'backup-copy', jobId: 'other' }),
      backup({ repositoryId: MAIN, folder: 'Orphan', kind: 'backup-copy', jobId: 'deleted' }),
      backup({ repositoryId: NAS, folder: 'Elsewhere', kind: 'backup-copy' }),
    ];
    const exists = (id: string) => id === 'me' || id === 'other';
    assert.deepEqual(mappableBackups(backups, MAIN, 'me', exists).map((b) => b.folder), ['Seed', 'Mine', 'Orphan']);
    assert.deepEqual(mappableBackups(backups, MAIN, null, exists).map((b) => b.folder), ['Seed', 'Orphan']);
  });
});

describe('the folder backup job draft', () => {
  function goodFolder() {
    return { ...emptyFolderDraft(MAIN), name: 'Office', workloads: [newWorkload('docs', '/data/docs')] };
  }

  test('a good draft has no message and becomes a definition the engine schema accepts', () => {
    assert.deepEqual(validateFolder(goodFolder()), {});
    assert.equal(folderBackupJob.parse(folderDefinitionOf(goodFolder())).workloads[0]!.folders[0], '/data/docs');
  });

  test('folders that are not full paths, or a whole disk, are refused at the folder field', () => {
    const at = (folders: string) => validateFolder({ ...goodFolder(), workloads: [newWorkload('docs', folders)] })['workloads.0.folders'];
    assert.match(at('docs/here')!, /“docs\/here” is not a full path/);
    assert.equal(at('/'), '/ is the whole disk: choose the folders to back up.');
    assert.equal(at('C:\\'), 'C:\\ is the whole disk: choose the folders to back up.');
    assert.equal(at('/data\n/'), '/ is the whole disk: choose the folders to back up.');
    assert.equal(at(''), 'Add at least one folder.');
    assert.equal(at('/data/docs'), undefined);
  });

  test('a clash of workload names is said at the second one; keep points as typed are checked', () => {
    const draft = { ...goodFolder(), workloads: [newWorkload('docs', '/a'), newWorkload('Docs', '/b')], keepPoints: '7x' };
    const errors = validateFolder(draft);
    assert.equal(errors['workloads.1.name'], 'Another workload already has this name.');
    assert.equal(errors['retention.keepPoints'], 'Enter a whole number from 1 to 999.');
  });

  test('edit keeps what the wizard does not show; clone names a copy and asks for a new password', () => {
    const job = folderBackupJob.parse({
      kind: 'folder-backup',
      name: 'Office',
      repositoryId: MAIN,
      workloads: [{ name: 'docs', folders: ['/data/docs', '/data/more'], excludes: ['*.tmp'] }],
      retention: { keepPoints: 30 },
      removeDeletedWorkloadsAfterDays: 9,
      healthCheck: { enabled: false, frequency: 'weekly', weekday: 3, week: 'first' },
      storage: { compressionLevel: 5, encrypted: true },
      schedule: { mode: 'daily', at: '22:00', weekdays: [1, 2, 3] },
      mailReport: { onSuccess: true, onWarning: false, onFailure: true },
      enabled: false,
    });
    const edited = folderDraftFrom(job, 'edit');
    assert.deepEqual(folderDefinitionOf(edited), job);
    assert.deepEqual(validateFolder(edited), {});
    const cloned = folderDraftFrom(job, 'clone');
    assert.equal(cloned.name, 'Copy of Office');
    assert.match(validateFolder(cloned).password!, /Enter a password/);
  });
});
