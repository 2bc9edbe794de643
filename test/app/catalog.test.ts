import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalog } from '../../app/catalog/catalog.ts';
import { MIGRATIONS } from '../../app/catalog/migrations.ts';
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
});
