import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalog } from '../../app/catalog/catalog.ts';
import { Engine } from '../../app/engine.ts';
import { MIGRATIONS } from '../../app/catalog/migrations.ts';
import { jobDefinition, RATE_LIMIT, trafficRule } from '../../shared/domain/job.ts';
import { z } from 'zod';
import { tempDir } from '../helpers.ts';

describe('catalog', () => {
  it('applies every migration once and keeps data across reopen', async (t) => {
    const dir = await tempDir(t);
    const first = new Catalog(dir);
    assert.equal(first.schemaVersion, MIGRATIONS.at(-1)!.version);
    first.setSetting('theme', 'dark');
    first.close();
    const second = new Catalog(dir);
    assert.equal(second.schemaVersion, MIGRATIONS.at(-1)!.version);
    assert.equal(second.getSetting('theme'), 'dark');
    const sync = second.db.prepare('PRAGMA synchronous').get() as { synchronous: number };
    assert.equal(sync.synchronous, 1, 'WAL with synchronous NORMAL: a commit (a log line) does not wait for a flush');
    const applied = second.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number };
    assert.equal(applied.n, MIGRATIONS.length);
    second.close();
  });

  it('refuses a catalog written by a newer version instead of damaging it', async (t) => {
    const dir = await tempDir(t);
    const catalog = new Catalog(dir);
    catalog.db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    catalog.close();
    assert.throws(() => new Catalog(dir), /written by a newer Ferry/);
  });

  it('rolls back a failed transaction', async (t) => {
    const catalog = new Catalog(await tempDir(t));
    t.after(() => catalog.close());
    assert.throws(() =>
      catalog.transaction(() => {
        catalog.setSetting('half', 'done');
        throw new Error('interrupted');
      }),
    );
    assert.equal(catalog.getSetting('half'), undefined);
  });

  it('stores bandwidth limits above the maximum one may now set as that maximum, so the jobs and traffic rules holding them still load', async (t) => {
    const dir = await tempDir(t);
    const old = new Catalog(dir);
    old.db.exec('DELETE FROM schema_migrations WHERE version >= 5');
    const copyJob = (name: string, throttle: number | null) => ({
      kind: 'backup-copy',
      name,
      sources: [{ kind: 'repository', repositoryId: 'r1' }],
      repositoryId: 'r2',
      dataPath: { parallelWorkloads: 2, throttleBytesPerSecond: throttle },
    });
    const insert = old.db.prepare("INSERT INTO jobs (id, name, kind, definition, created_at, updated_at) VALUES (?, ?, 'backup-copy', ?, 'x', 'x')");
    insert.run('fast', 'Fast', JSON.stringify(copyJob('Fast', 400 * 1024 ** 3)));
    insert.run('slow', 'Slow', JSON.stringify(copyJob('Slow', 1024 ** 2)));
    insert.run('free', 'Free', JSON.stringify(copyJob('Free', null)));
    const rule = (id: string, bytesPerSecond: number) => ({ id, fromRepositoryId: null, toRepositoryId: null, bytesPerSecond, hours: null });
    old.setSetting('traffic.rules', JSON.stringify([rule('a', 10 * 1024 ** 2), rule('b', 2 ** 50), rule('c', 1024 ** 2)]));
    old.close();

    const catalog = new Catalog(dir);
    t.after(() => catalog.close());
    const throttles = (catalog.db.prepare('SELECT id, definition FROM jobs ORDER BY id').all() as { id: string; definition: string }[]).map(
      (row) => {
        const definition = jobDefinition.parse(JSON.parse(row.definition));
        return [row.id, definition.kind === 'backup-copy' ? definition.dataPath.throttleBytesPerSecond : undefined];
      },
    );
    assert.deepEqual(throttles, [
      ['fast', RATE_LIMIT.max],
      ['free', null],
      ['slow', 1024 ** 2],
    ]);
    const rules = trafficRule.array().parse(JSON.parse(catalog.getSetting('traffic.rules')!));
    assert.deepEqual(
      rules.map((r) => [r.id, r.bytesPerSecond]),
      [
        ['a', 10 * 1024 ** 2],
        ['b', RATE_LIMIT.max],
        ['c', 1024 ** 2],
      ],
    );
  });

  it('keeps a job\'s maintenance state per job, reads a damaged one as absent, and drops it with the job', async (t) => {
    const catalog = new Catalog(await tempDir(t));
    t.after(() => catalog.close());
    const insert = catalog.db.prepare("INSERT INTO jobs (id, name, kind, definition, created_at, updated_at) VALUES (?, ?, 'backup-copy', '{}', 'x', 'x')");
    insert.run('a', 'A');
    insert.run('b', 'B');
    const since = z.object({ since: z.string() });
    catalog.setJobState('a', 'health-check', { since: '2026-01-01' });
    catalog.setJobState('a', 'health-check', { since: '2026-02-01' });
    assert.deepEqual(catalog.getJobState('a', 'health-check', since), { since: '2026-02-01' });
    assert.equal(catalog.getJobState('b', 'health-check', since), undefined);
    catalog.db.prepare("UPDATE job_state SET value = '{\"since\": 1' WHERE job_id = 'a'").run();
    assert.equal(catalog.getJobState('a', 'health-check', since), undefined);
    catalog.db.prepare("DELETE FROM jobs WHERE id = 'a'").run();
    const left = catalog.db.prepare('SELECT COUNT(*) AS n FROM job_state').get() as { n: number };
    assert.equal(left.n, 0);
  });

  it('reads a JSON setting that no longer parses as absent, not as an error (a damaged value must not stop the engine)', async (t) => {
    const catalog = new Catalog(await tempDir(t));
    t.after(() => catalog.close());
    const rules = trafficRule.array();
    assert.equal(catalog.getJsonSetting('traffic.rules', rules), undefined);
    catalog.setSetting('traffic.rules', '[{"id": "a", "bytesPer');
    assert.equal(catalog.getJsonSetting('traffic.rules', rules), undefined);
    catalog.setSetting('traffic.rules', '[{"id": "a"}]');
    assert.equal(catalog.getJsonSetting('traffic.rules', rules), undefined);
    const rule = { id: 'a', fromRepositoryId: null, toRepositoryId: null, bytesPerSecond: 1024 ** 2, hours: null };
    catalog.setSetting('traffic.rules', JSON.stringify([rule]));
    assert.deepEqual(catalog.getJsonSetting('traffic.rules', rules), [rule]);
  });

  it('an engine starts over damaged traffic, mail and scheduler settings, and treats them as unset', async (t) => {
    const dataDir = await tempDir(t);
    const old = new Catalog(dataDir);
    for (const key of ['traffic.rules', 'mail.settings', 'scheduler.settings']) old.setSetting(key, '{ damaged');
    old.close();
    const engine = await Engine.start({ dataDir, host: 'cli' });
    t.after(() => engine.close());
    const context = { signal: new AbortController().signal };
    assert.deepEqual(await engine.handlers['traffic.list']({}, context), []);
    assert.equal(await engine.handlers['mail.get']({}, context), null);
    assert.equal((await engine.handlers['scheduler.getSettings']({}, context)).slotsPerRepository, 4);
  });
});
