import assert from 'node:assert/strict';
import { it } from 'node:test';
import { acquireLock } from '../../app/repository/locks.ts';
import type { CompactReport } from '../../app/maintenance/compact.ts';
import { listKeys } from '../copy/fixtures.ts';
import { runFerry } from '../helpers.ts';
import { assertKeptIntact, folderStore, forget, pointsBackup } from './fixtures.ts';

const PASSWORD = 'gc from the command line';

it('ferry gc: --dry-run changes nothing; a backup in use is named and left (exit 1); then it compacts (exit 0); an unknown --backup is refused', async (t) => {
  const store = await folderStore(t);
  const made = await pointsBackup(t, store, { password: PASSWORD, count: 4 });
  await forget(made.backup, made.points.slice(0, 2));
  const env = { FERRY_PASSWORD: PASSWORD };
  const before = await listKeys(store);

  const dry = await runFerry(['gc', store.location, '--dry-run', '--json'], env);
  assert.equal(dry.code, 0, dry.stderr);
  const planned = JSON.parse(dry.stdout) as { dryRun: boolean; backups: CompactReport[]; failed: unknown[] };
  assert.equal(planned.dryRun, true);
  assert.equal(planned.backups.length, 1);
  assert.ok(planned.backups[0]!.bytesReclaimed > 0 && planned.backups[0]!.packsDeleted > 0);
  assert.deepEqual(await listKeys(store), before, 'a dry run changes nothing');

  const lock = await acquireLock(store, 'Files', 'write', { purpose: 'backup of job "Files"' });
  const busy = await runFerry(['gc', store.location], env);
  await lock.release();
  assert.equal(busy.code, 1);
  assert.match(busy.stdout, /NOT COMPACTED Files: The backup "Files" is in use: backup of job "Files" \(write lock\).*\(conflict\)/);
  assert.deepEqual(await listKeys(store), before);

  const done = await runFerry(['gc', store.location, '--backup', 'Files'], env);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /Files: 2 restore points need .*\n.*packs? no kept point needs deleted.*\nStored: .* → .*reclaimed\./);
  await assertKeptIntact(t, store, PASSWORD, made.points.slice(2), made.digests);

  const unknown = await runFerry(['gc', store.location, '--backup', 'Nope'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /There is no backup "Nope" in .* \(not_found\)/);
});
