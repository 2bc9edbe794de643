import assert from 'node:assert/strict';
import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import { runJob, startEngine } from './engine-harness.ts';

type Started = Awaited<ReturnType<typeof startEngine>>;

async function dataFolder(root: string): Promise<string> {
  const folder = path.join(root, 'docs');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'a.txt'), 'letters\n'.repeat(200));
  return folder;
}

/** A folder backup job "Office" to `repositoryId`, and a copy job "Offsite copy" of it to the default repository; Office run once. */
async function jobsUsing(engine: Started, root: string, repositoryId: string) {
  const [fallback] = await engine.client.call('repos.list', {});
  const office = await engine.client.call('jobs.create', {
    definition: { kind: 'folder-backup', name: 'Office', repositoryId, workloads: [{ name: 'docs', folders: [await dataFolder(root)] }] },
  });
  const copy = await engine.client.call('jobs.create', {
    definition: { kind: 'backup-copy', name: 'Offsite copy', repositoryId: fallback!.id, sources: [{ kind: 'job', jobId: office.id }] },
  });
  assert.equal((await runJob(engine, office.id)).session.result, 'success');
  return { office, copy };
}

const summaryOf = async (engine: Started, id: string) => (await engine.client.call('jobs.list', {})).find((job) => job.id === id)!;

/** The backups listed for a repository once the engine's rescan after an add has ended. */
async function backupsAfterAdd(engine: Started, repositoryId: string): Promise<string[]> {
  for (let tries = 0; tries < 200; tries++) {
    const backups = await engine.client.call('backups.list', { repositoryId });
    if (backups.length > 0) return backups.map((backup) => backup.name);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return [];
}

describe('a repository is recognised when added again', () => {
  it('says which jobs use a repository before removing it, and removes it only without dryRun', async (t) => {
    const root = await tempDir(t);
    const engine = await startEngine(t);
    const nas = await engine.client.call('repos.add', { name: 'NAS', location: { kind: 'local', path: path.join(root, 'nas') } });
    const { office, copy } = await jobsUsing(engine, root, nas.id);
    const dry = await engine.client.call('repos.remove', { id: nas.id, dryRun: true });
    assert.deepEqual(dry, {
      id: nas.id,
      removed: false,
      jobs: [
        { id: office.id, name: 'Office', use: 'target' },
        { id: copy.id, name: 'Offsite copy', use: 'source' },
      ],
    });
    assert.ok((await engine.client.call('repos.list', {})).some((repo) => repo.id === nas.id), 'a dry run removes nothing');
    assert.equal((await summaryOf(engine, office.id)).repositoryMissing, false);
    const done = await engine.client.call('repos.remove', { id: nas.id });
    assert.equal(done.removed, true);
    assert.deepEqual(done.jobs.map((job) => job.name), ['Office', 'Offsite copy']);
    assert.equal((await summaryOf(engine, office.id)).repositoryMissing, true);
    assert.equal((await summaryOf(engine, copy.id)).repositoryMissing, false, 'its target is still there');
    const unknown = await engine.client.call('repos.remove', { id: nas.id, dryRun: true }).catch((e: unknown) => e);
    assert.ok(unknown instanceof FerryError && unknown.code === 'not_found');
    assert.doesNotMatch(unknown.message, /[0-9a-f]{8}-[0-9a-f]{4}/, 'no raw id');
  });

  it('refuses to start a job whose repository was removed, in words; adding the folder again gives the jobs their repository back', async (t) => {
    const root = await tempDir(t);
    const engine = await startEngine(t);
    const folder = path.join(root, 'nas');
    const nas = await engine.client.call('repos.add', { name: 'NAS', location: { kind: 'local', path: folder } });
    const { office, copy } = await jobsUsing(engine, root, nas.id);
    await engine.client.call('repos.remove', { id: nas.id });

    const refused = await engine.client.call('jobs.start', { id: office.id }).catch((e: unknown) => e);
    assert.ok(refused instanceof FerryError, String(refused));
    assert.equal(refused.code, 'conflict');
    assert.equal(refused.message, 'The target repository of “Office” was removed. Add it again on the Repositories page, or edit the job.');
    assert.equal((await engine.client.call('sessions.list', { limit: 10 })).length, 1, 'no session for a refused start');
    // The scheduler's path (launch) makes a session that fails with the same words.
    const { ended } = engine.engine.jobs.launch(office.id);
    const scheduled = await engine.client.call('sessions.get', { id: (await ended).sessionId });
    assert.equal(scheduled.result, 'failed');
    assert.ok(scheduled.log.some((line) => line.message.startsWith('The target repository of “Office” was removed.')), JSON.stringify(scheduled.log));
    await engine.engine.jobs.settled(office.id);

    // Through a link to it, under another name: the same place.
    await symlink(folder, path.join(root, 'alias'));
    const again = await engine.client.call('repos.add', { name: 'NAS again', location: { kind: 'local', path: path.join(root, 'alias') } });
    assert.equal(again.id, nas.id, 'the same repository id');
    assert.equal((await summaryOf(engine, office.id)).repositoryMissing, false);
    assert.deepEqual(await backupsAfterAdd(engine, again.id), ['Office'], 'its backups are listed again');
    assert.equal((await runJob(engine, office.id)).session.result, 'success');
    assert.equal((await runJob(engine, copy.id)).session.result, 'success', 'the copy job reads from it again');
  });

  it('follows the repository marker to another folder, and does not take a different repository at the old place for it', async (t) => {
    const root = await tempDir(t);
    const engine = await startEngine(t);
    const folder = path.join(root, 'usb');
    const usb = await engine.client.call('repos.add', { name: 'USB', location: { kind: 'local', path: folder } });
    const { office } = await jobsUsing(engine, root, usb.id);
    await engine.client.call('repos.remove', { id: usb.id });
    // The drive comes back mounted elsewhere.
    await cp(folder, path.join(root, 'mounted-elsewhere'), { recursive: true });
    const moved = await engine.client.call('repos.add', { name: 'USB', location: { kind: 'local', path: path.join(root, 'mounted-elsewhere') } });
    assert.equal(moved.id, usb.id);
    assert.equal((await runJob(engine, office.id)).session.result, 'success');

    // Wiped and made anew at the old place: another repository (its backups are not the job's).
    await engine.client.call('repos.remove', { id: moved.id });
    await rm(folder, { recursive: true });
    const fresh = await engine.client.call('repos.add', { name: 'Fresh', location: { kind: 'local', path: folder } });
    assert.notEqual(fresh.id, usb.id);
    assert.equal((await summaryOf(engine, office.id)).repositoryMissing, true);
  });

  it('recognises a repository removed before removals were remembered, by the backups of its jobs in it', async (t) => {
    const root = await tempDir(t);
    const engine = await startEngine(t);
    const folder = path.join(root, 'nas');
    const nas = await engine.client.call('repos.add', { name: 'NAS', location: { kind: 'local', path: folder } });
    const { office } = await jobsUsing(engine, root, nas.id);
    // What an older Ferry's removal left: the row gone, nothing remembered.
    engine.engine.catalog.db.prepare('DELETE FROM repositories WHERE id = ?').run(nas.id);
    assert.equal((await summaryOf(engine, office.id)).repositoryMissing, true);
    const again = await engine.client.call('repos.add', { name: 'NAS', location: { kind: 'local', path: folder } });
    assert.equal(again.id, nas.id);
    assert.equal((await runJob(engine, office.id)).session.result, 'success');
  });

  it('gives an S3 bucket and prefix added again its id back, with the new secret key', { timeout: 60_000 }, async (t) => {
    const server = await startS3Server(t);
    const root = await tempDir(t);
    const engine = await startEngine(t);
    const config = server.config('ferry');
    const location = { kind: 's3' as const, endpoint: config.endpoint!, bucket: config.bucket, prefix: 'ferry', accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
    const offsite = await engine.client.call('repos.add', { name: 'Offsite', location });
    const { office } = await jobsUsing(engine, root, offsite.id);
    await engine.client.call('repos.remove', { id: offsite.id });
    assert.equal((await summaryOf(engine, office.id)).repositoryMissing, true);
    const again = await engine.client.call('repos.add', { name: 'Offsite', location: { ...location, prefix: '/ferry/' } });
    assert.equal(again.id, offsite.id);
    assert.equal((await runJob(engine, office.id)).session.result, 'success');
  });

  it('refuses to remove a repository while a job that uses it runs', async (t) => {
    const root = await tempDir(t);
    const engine = await startEngine(t);
    const nas = await engine.client.call('repos.add', { name: 'NAS', location: { kind: 'local', path: path.join(root, 'nas') } });
    const { office } = await jobsUsing(engine, root, nas.id);
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Office's run holds until the removal was tried.
    const open = engine.engine.repositories.open.bind(engine.engine.repositories);
    engine.engine.repositories.open = async (id) => {
      await held;
      return open(id);
    };
    const { ended } = engine.engine.jobs.launch(office.id);
    const refused = await engine.client.call('repos.remove', { id: nas.id }).catch((e: unknown) => e);
    release();
    assert.ok(refused instanceof FerryError && refused.code === 'conflict', String(refused));
    assert.equal(refused.message, '“Office” is using this repository now: stop it first.');
    assert.equal((await ended).result, 'success');
    assert.ok((await engine.client.call('repos.list', {})).some((repo) => repo.id === nas.id));
  });
});
