import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FerryError } from '../../shared/rpc/errors.ts';
import { startEngine } from './engine-harness.ts';
import { tempDir, unwritableFolder } from '../helpers.ts';

async function fieldErrorOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof FerryError, String(error));
  assert.equal(error.code, 'invalid_input', error.message);
  return error.details?.fields ?? {};
}

describe('repositories', () => {
  it('registers the default repository once, on first start', async (t) => {
    const { client, dataDir, engine } = await startEngine(t);
    const [first] = await client.call('repos.list', {});
    assert.equal(first?.name, 'Default repository');
    assert.equal(first?.isDefault, true);
    assert.equal(first?.status, 'available');
    assert.ok(first?.location.kind === 'local' && first.location.path.startsWith(dataDir));
    await client.call('repos.remove', { id: first.id });
    await engine.close();
    const again = await startEngine(t, dataDir);
    assert.deepEqual(await again.client.call('repos.list', {}), [], 'a removed default stays removed');
  });

  it('adds, lists (persisted) and removes a local folder repository, announcing each change', async (t) => {
    const root = await tempDir(t);
    const { client, dataDir, engine } = await startEngine(t);
    const announced: string[][] = [];
    // The announcement is published after the add returns (it probes every repository).
    // The engine's start may announce the default repository first, on a busy machine after
    // this listener is in place: the add's announcement is the one that names the new one.
    const addAnnounced = new Promise<void>((resolve) =>
      client.on('repos.changed', ({ repositories }) => {
        announced.push(repositories.map((r) => r.name));
        if (repositories.some((r) => r.name === 'NAS copies')) resolve();
      }),
    );
    const folder = path.join(root, 'nas', 'copies');
    const added = await client.call('repos.add', { name: '  NAS copies ', location: { kind: 'local', path: folder } });
    assert.equal(added.name, 'NAS copies');
    assert.equal(added.status, 'available');
    assert.ok(added.space && added.space.totalBytes > 0);
    await addAnnounced;
    await engine.close();

    const reopened = await startEngine(t, dataDir);
    const names = (await reopened.client.call('repos.list', {})).map((r) => r.name);
    assert.deepEqual(names, ['Default repository', 'NAS copies']);
    assert.deepEqual(announced.at(-1), ['Default repository', 'NAS copies']);
    assert.ok(announced.slice(0, -1).every((names) => !names.includes('NAS copies')), 'announced once');
    await reopened.client.call('repos.remove', { id: added.id });
    assert.deepEqual((await reopened.client.call('repos.list', {})).map((r) => r.name), ['Default repository']);
    await assert.rejects(reopened.client.call('repos.remove', { id: added.id }), { code: 'not_found' });
  });

  it('names the field at fault for each kind of bad input', async (t) => {
    const root = await tempDir(t);
    const { client } = await startEngine(t);
    const [defaultRepo] = await client.call('repos.list', {});
    const ok = (name: string) => ({ kind: 'local' as const, path: path.join(root, name) });

    assert.match((await fieldErrorOf(client.call('repos.add', { name: '   ', location: ok('a') })))['name']!, /Enter a name/);
    assert.match(
      (await fieldErrorOf(client.call('repos.add', { name: 'default REPOSITORY', location: ok('b') })))['name']!,
      /already exists/,
    );
    assert.match(
      (await fieldErrorOf(client.call('repos.add', { name: 'R', location: { kind: 'local', path: 'relative/dir' } })))[
        'location.path'
      ]!,
      /full path/,
    );
    assert.ok(defaultRepo?.location.kind === 'local');
    const defaultPath = defaultRepo.location.path;
    const inside = path.join(defaultPath, 'nested');
    assert.match(
      (await fieldErrorOf(client.call('repos.add', { name: 'R', location: { kind: 'local', path: inside } })))['location.path']!,
      /inside the repository "Default repository"/,
    );
    assert.match(
      (await fieldErrorOf(client.call('repos.add', { name: 'R', location: { kind: 'local', path: path.dirname(defaultPath) } })))[
        'location.path'
      ]!,
      /contains the repository "Default repository"/,
    );

    const file = path.join(root, 'a-file');
    await writeFile(file, 'x');
    assert.match(
      (await fieldErrorOf(client.call('repos.add', { name: 'R', location: { kind: 'local', path: path.join(file, 'sub') } })))['location.path']!,
      /is a file, not a folder/,
    );

    const locked = unwritableFolder(root);
    await locked.setUp();
    assert.match(
      (await fieldErrorOf(client.call('repos.add', { name: 'R', location: { kind: 'local', path: locked.path } })))['location.path']!,
      /not allowed to write/,
    );
    assert.deepEqual((await client.call('repos.list', {})).map((r) => r.name), ['Default repository'], 'nothing was registered');
  });

  it('sees through symbolic links when checking for overlap', async (t) => {
    const root = await tempDir(t);
    const { client } = await startEngine(t);
    const real = path.join(root, 'real');
    await mkdir(real);
    await client.call('repos.add', { name: 'Real', location: { kind: 'local', path: real } });
    await symlink(real, path.join(root, 'alias'));
    const fields = await fieldErrorOf(
      client.call('repos.add', { name: 'Alias', location: { kind: 'local', path: path.join(root, 'alias') } }),
    );
    assert.match(fields['location.path']!, /is already the repository "Real"/);
  });

  it('lists an unplugged repository as unavailable instead of failing', async (t) => {
    const root = await tempDir(t);
    const { client } = await startEngine(t);
    const folder = path.join(root, 'usb');
    await client.call('repos.add', { name: 'USB drive', location: { kind: 'local', path: folder } });
    const { rm } = await import('node:fs/promises');
    await rm(folder, { recursive: true });
    const usb = (await client.call('repos.list', {})).find((r) => r.name === 'USB drive');
    assert.equal(usb?.status, 'unavailable');
    assert.match(usb?.statusMessage ?? '', /Folder not found/);
  });

  it('keeps names unique when two adds race', async (t) => {
    const root = await tempDir(t);
    const { client } = await startEngine(t);
    const results = await Promise.allSettled([
      client.call('repos.add', { name: 'Twin', location: { kind: 'local', path: path.join(root, 'one') } }),
      client.call('repos.add', { name: 'twin', location: { kind: 'local', path: path.join(root, 'two') } }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });
});

describe('folder creation', () => {
  it('fails fast on a pseudo file system instead of hanging (Node recursive mkdir never settles there)', async (t) => {
    if (process.platform !== 'linux') return t.skip('Linux /proc only');
    const { client } = await startEngine(t);
    const fields = await fieldErrorOf(client.call('repos.add', { name: 'Proc', location: { kind: 'local', path: '/proc/ferry/x' } }));
    assert.ok(fields['location.path']);
    assert.equal((await client.call('repos.list', {})).length, 1, 'the registry still answers');
  });
});
