import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runFerry as cli, tempDir } from '../helpers.ts';

interface ListedPoint {
  id: string;
  workload: string;
  created: string;
}

describe('ferry forget and ferry points rm', () => {
  it('forget applies retention per workload (a dry run only says what and why), then compacts; points rm forgets one point; bad retention is refused with the schema\'s words', { timeout: 120_000 }, async (t) => {
    const root = await tempDir(t);
    const repo = path.join(root, 'repo');
    const env = { FERRY_DATA_DIR: path.join(root, 'data') };
    const data = path.join(root, 'data-folder');
    await mkdir(data, { recursive: true });
    assert.equal((await cli(['repo', 'init', repo], env)).code, 0);
    for (let run = 1; run <= 4; run++) {
      await writeFile(path.join(data, 'file.txt'), `version ${run}\n`.repeat(2000));
      const backup = await cli(['backup', repo, '--job', 'Files', '--workload', `docs=${data}`, '--workload', `mail=${data}`], env);
      assert.equal(backup.code, 0, backup.stderr);
    }
    const points = async (): Promise<ListedPoint[]> => JSON.parse((await cli(['points', repo, '--json'], env)).stdout) as ListedPoint[];
    const all = await points();
    assert.equal(all.length, 8);
    const byWorkload = (workload: string) => all.filter((p) => p.workload === workload).sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
    const oldest = [...byWorkload('docs').slice(0, 2), ...byWorkload('mail').slice(0, 2)];

    const dry = await cli(['forget', repo, '--job', 'Files', '--keep', '2', '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    for (const point of oldest) assert.match(dry.stdout, new RegExp(`remove point ${point.id} of ${point.workload} \\(created ${point.created}\\): older than the newest 2 and no GFS flag keeps it`));
    assert.match(dry.stdout, /4 point\(s\) would be removed, 4 kept\./);
    assert.equal((await points()).length, 8, 'a dry run removes nothing');

    const done = await cli(['forget', repo, '--job', 'Files', '--keep', '2', '--json'], env);
    assert.equal(done.code, 0, done.stderr);
    const [result] = (JSON.parse(done.stdout) as { backups: { removed: string[]; compaction: { packsDeleted: number; bytesReclaimed: number; points: number } }[] }).backups;
    assert.deepEqual(new Set(result!.removed), new Set(oldest.map((p) => p.id)));
    assert.equal(result!.compaction.points, 4, 'then the backup was compacted to what the kept points need');
    assert.ok(result!.compaction.bytesReclaimed > 0, 'reclaiming what only the forgotten points needed');
    const kept = await points();
    assert.deepEqual(new Set(kept.map((p) => p.id)), new Set(all.filter((p) => !oldest.includes(p)).map((p) => p.id)));
    const verify = await cli(['verify', repo], env);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);

    const [first] = kept;
    const dryRm = await cli(['points', 'rm', repo, first!.id, '--dry-run'], env);
    assert.equal(dryRm.code, 0, dryRm.stderr);
    assert.match(dryRm.stdout, new RegExp(`Would forget point ${first!.id} of ${first!.workload}`));
    assert.equal((await points()).length, 4);
    const rm = await cli(['points', 'rm', repo, first!.id], env);
    assert.equal(rm.code, 0, rm.stderr);
    assert.match(rm.stdout, new RegExp(`Forgot point ${first!.id} of ${first!.workload} .*\\nIts data stays stored until a compaction reclaims it`));
    assert.deepEqual((await points()).map((p) => p.id).includes(first!.id), false);
    const [second] = await points();
    const pruned = await cli(['points', 'rm', repo, second!.id.slice(0, 12), '--prune'], env);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /2 restore points need .*\n.*packs? no kept point needs deleted/);
    const missing = await cli(['points', 'rm', repo, first!.id], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`No restore point ${first!.id}`));
    assert.equal((await cli(['verify', repo], env)).code, 0);

    for (const [args, message] of [
      [['--keep', '0'], /--keep: Keep at least 1 restore point\./],
      [['--keep', '2', '--weekly=-1'], /--weekly: Enter 0 to keep no weekly points, or more\./],
      [['--keep', '2', '--weekday', '7'], /--weekday: Weekdays go from 0 \(Sunday\) to 6 \(Saturday\)\./],
      [['--keep', 'two'], /--keep must be a whole number, not "two"/],
      [[], /Missing --keep/],
    ] as const) {
      const refused = await cli(['forget', repo, '--job', 'Files', ...args], env);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, message);
    }
    assert.equal((await points()).length, 2, 'refused input removed nothing');
    const unknown = await cli(['forget', repo, '--job', 'Nope', '--keep', '1'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No backup of the job "Nope"/);
  });
});
