// The copy benchmark's routes: one way of bringing a source repository's content to
// another place, run once after the first backup (full copy) and once after the second
// (incremental copy). `ferry copy` between two local repositories (encrypted → encrypted,
// plain → plain) and from a local repository to S3 (s3rver); `restic copy` beside them;
// `rsync -a` of Ferry's source repository folder as the floor of a local copy; and the
// same encrypted copy as a job run by a running engine (bench/lib/engine-copy.ts). restic 0.14
// cannot use s3rver: it uploads with aws-chunked payload signing
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), which s3rver stores undecoded
// ("1b7;chunk-signature=…" in front of each object), so restic cannot read its key back.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { S3Store } from '../../app/storage/s3-store.ts';
import { S3RVER_KEY, type S3TestServer, startS3Server } from '../../test/storage/s3-server.ts';
import { type EngineCopy, startEngineCopy } from './engine-copy.ts';
import { duBytes, measure, type Measured } from './measure.ts';
import { PASSWORD, resticCache, runFerry, runRestic, type ToolId, type ToolOptions } from './tools.ts';

export type CopyId = 'ferry-enc' | 'ferry-engine' | 'ferry-plain' | 'ferry-enc-s3' | 'restic' | 'rsync' | 'rsync-fsync';
/** In the order of the report's columns. */
export const COPY_IDS: readonly CopyId[] = ['ferry-enc', 'ferry-engine', 'ferry-plain', 'ferry-enc-s3', 'restic', 'rsync', 'rsync-fsync'];
const TARGET_PASSWORD = 'ferry-bench-target-password';

export interface CopyOutcome {
  measured: Measured;
  /** What the tool says it wrote (Ferry: the sum of its tasks' bytesStored), when it says. */
  reportedBytes?: number | undefined;
}

export interface CopyRoute {
  id: CopyId;
  label: string;
  /** The backup tool whose repository is the source (its backups run before the copies). */
  sourceTool: ToolId;
  /** The source repository (a folder). */
  source: string;
  target: 'local' | 's3';
  /** Removes what an earlier round left and creates an empty target (not timed). */
  prepare(): Promise<void>;
  /** One copy: whatever of the source the target does not hold yet. */
  copy(): Promise<CopyOutcome>;
  /** What the target holds now: du -sb of its folder, or the sum of its objects' sizes. */
  targetBytes(): Promise<number>;
  /**
   * After both copies (not timed): the target holds what the source holds (the same
   * points or snapshots, with the same trees); `deep` also reads and checks every chunk.
   * Throws when not; returns a line for the log.
   */
  check(deep: boolean): Promise<string>;
  /** Ends what the route keeps running between its copies (the engine), after its check. */
  close?(): Promise<void>;
}

export interface CopyRouteOptions extends ToolOptions {
  /** The source repository of each backup tool. */
  sourceRepo: (tool: ToolId) => string;
  /** The S3 test server, for the s3 routes. */
  s3?: S3Server | undefined;
  round: number;
}

/** s3rver in a child process (as the tests run it), with what the routes need of it. */
export interface S3Server {
  endpoint: string;
  env: NodeJS.ProcessEnv;
  /** `s3://bucket/<prefix>` for Ferry. */
  ferryUrl(prefix: string): string;
  /** Sum of the sizes of the objects under the prefix. */
  bytesUnder(prefix: string): Promise<number>;
  deleteUnder(prefix: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(): Promise<S3Server> {
  const cleanups: (() => Promise<void>)[] = [];
  const server: S3TestServer = await startS3Server({ after: (fn) => cleanups.push(fn) }, 'ferry-bench');
  const stores = new Map<string, S3Store>();
  const store = (prefix: string) => {
    let s = stores.get(prefix);
    if (!s) stores.set(prefix, (s = new S3Store(server.config(prefix))));
    return s;
  };
  const objects = async (prefix: string) => {
    const all = [];
    for await (const object of store(prefix).list('')) all.push(object);
    return all;
  };
  return {
    endpoint: server.endpoint,
    env: { AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_KEY, AWS_REGION: 'us-east-1', FERRY_S3_ENDPOINT: server.endpoint },
    ferryUrl: (prefix) => `s3://${server.bucket}/${prefix}`,
    bytesUnder: async (prefix) => (await objects(prefix)).reduce((sum, o) => sum + o.size, 0),
    async deleteUnder(prefix) {
      for (const object of await objects(prefix)) await store(prefix).delete(object.key);
    },
    async stop() {
      for (const s of stores.values()) s.close();
      for (const fn of cleanups) await fn();
    },
  };
}

/** The routes for the backup tools of the run (the s3 ones only with a server). */
export function makeCopyRoutes(tools: readonly ToolId[], options: CopyRouteOptions): CopyRoute[] {
  const routes: CopyRoute[] = [];
  const s3 = options.s3;
  for (const id of COPY_IDS) {
    if (id === 'rsync' || id === 'rsync-fsync') {
      // rsync copies a Ferry repository folder (the first Ferry tool's), or restic's.
      const from = tools.find((t) => t !== 'restic') ?? tools[0];
      if (from) routes.push(rsync(id, from, options));
      continue;
    }
    const sourceTool: ToolId = id === 'restic' ? 'restic' : id === 'ferry-plain' ? 'ferry-plain' : 'ferry-enc';
    if (!tools.includes(sourceTool) || (id === 'ferry-enc-s3' && !s3)) continue;
    if (sourceTool === 'restic') routes.push(resticCopy(options));
    else if (id === 'ferry-engine') routes.push(ferryEngineCopy(options));
    else routes.push(ferryCopy(id, sourceTool, id === 'ferry-enc-s3' ? s3 : undefined, options));
  }
  return routes;
}

/** A local target folder, or a prefix on the S3 server, with its size and its clean-up. */
function targetOf(id: CopyId, s3: S3Server | undefined, options: CopyRouteOptions) {
  const folder = path.join(options.workDir, `copy-${id}`);
  const prefix = `round${options.round}/${id}/`;
  return {
    kind: s3 ? ('s3' as const) : ('local' as const),
    folder,
    prefix,
    async clear() {
      rmSync(folder, { recursive: true, force: true });
      // Earlier rounds' objects: s3rver keeps them on disk.
      if (s3) for (let round = 1; round < options.round; round++) await s3.deleteUnder(`round${round}/${id}/`);
    },
    bytes: async () => (s3 ? s3.bytesUnder(prefix) : existsSync(folder) ? duBytes(folder) : 0),
  };
}

interface FerryPoint {
  id: string;
  tree: string;
  lineage?: { pointId: string };
}

type FerryCommand = (args: string[], password?: string) => Promise<Measured>;

/** The Ferry CLI for a route: its own data folder, the source's and the target's passwords. */
function ferryCli(id: CopyId, s3: S3Server | undefined, options: CopyRouteOptions): FerryCommand {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...s3?.env,
    FERRY_PASSWORD: PASSWORD,
    FERRY_TARGET_PASSWORD: TARGET_PASSWORD,
    FERRY_DATA_DIR: path.join(options.workDir, `ferry-data-copy-${id}`),
  };
  return (args, password = PASSWORD) => runFerry(options, { ...env, FERRY_PASSWORD: password }, args);
}

/** A Ferry copy's check (see CopyRoute.check): the target's points are copies of the source's, with the same trees. */
async function checkFerryCopy(ferry: FerryCommand, source: string, to: string, deep: boolean): Promise<string> {
  const points = async (repo: string, password: string) => JSON.parse((await ferry(['points', repo, '--json'], password)).stdout) as FerryPoint[];
  const expected = await points(source, PASSWORD);
  const copied = await points(to, TARGET_PASSWORD);
  const key = (p: { pointId: string; tree: string }) => `${p.pointId}:${p.tree}`;
  const want = expected.map((p) => key({ pointId: p.id, tree: p.tree })).sort();
  const got = copied.map((p) => key({ pointId: p.lineage?.pointId ?? '?', tree: p.tree })).sort();
  if (want.join() !== got.join()) throw new Error(`${to}: its points (${got.join(', ')}) are not the source's (${want.join(', ')})`);
  let line = `${copied.length} points, same trees as the source`;
  if (deep) {
    const report = JSON.parse((await ferry(['verify', to, '--json'], TARGET_PASSWORD)).stdout) as { backups: { damage: unknown[]; blobsChecked: number }[] };
    if (report.backups.length === 0 || report.backups.some((b) => b.damage.length > 0 || b.blobsChecked === 0)) {
      throw new Error(`ferry verify of the copy ${to} found damage or checked nothing`);
    }
    line += `; ferry verify: ${report.backups.reduce((sum, b) => sum + b.blobsChecked, 0)} chunks, no damage`;
  }
  return line;
}

function ferryCopy(id: CopyId, sourceTool: 'ferry-enc' | 'ferry-plain', s3: S3Server | undefined, options: CopyRouteOptions): CopyRoute {
  const encrypted = sourceTool === 'ferry-enc';
  const source = options.sourceRepo(sourceTool);
  const target = targetOf(id, s3, options);
  const to = s3 ? s3.ferryUrl(target.prefix) : target.folder;
  const ferry = ferryCli(id, s3, options);
  return {
    id,
    label: `Ferry (${encrypted ? 'encrypted → encrypted' : 'plain → plain'}${s3 ? ', to s3rver' : ''})`,
    sourceTool,
    source,
    target: target.kind,
    async prepare() {
      await target.clear();
      await ferry(['repo', 'init', to, ...(encrypted ? ['--encrypt'] : []), '--json'], TARGET_PASSWORD);
    },
    async copy() {
      const measured = await ferry(['copy', '--from', source, '--to', to, '--job', 'bench-copy', '--json']);
      const result = JSON.parse(measured.stdout) as { tasks: { result: string; points: string[]; bytesStored: number }[] };
      if (result.tasks.length === 0 || result.tasks.some((t) => t.result !== 'success' || t.points.length !== 1)) {
        throw new Error(`ferry copy to ${to} did not copy one point: ${measured.stdout.slice(0, 2000)}`);
      }
      return { measured, reportedBytes: result.tasks.reduce((sum, t) => sum + t.bytesStored, 0) };
    },
    targetBytes: target.bytes,
    check: (deep) => checkFerryCopy(ferry, source, to, deep),
  };
}

/** The encrypted copy as a job of a running engine (bench/lib/engine-copy.ts), into an encrypted repository as ferry copy's. */
function ferryEngineCopy(options: CopyRouteOptions): CopyRoute {
  const id: CopyId = 'ferry-engine';
  const source = options.sourceRepo('ferry-enc');
  const target = targetOf(id, undefined, options);
  const ferry = ferryCli(id, undefined, options);
  let engine: EngineCopy | undefined;
  const stop = async () => {
    await engine?.stop();
    engine = undefined;
  };
  return {
    id,
    label: 'Ferry engine job (encrypted → encrypted)',
    sourceTool: 'ferry-enc',
    source,
    target: target.kind,
    async prepare() {
      await stop();
      await target.clear();
      await ferry(['repo', 'init', target.folder, '--encrypt', '--json'], TARGET_PASSWORD);
      engine = await startEngineCopy({ options, source, target: target.folder, targetPassword: TARGET_PASSWORD });
    },
    async copy() {
      if (!engine) throw new Error('the engine route copies only after prepare()');
      return engine.run();
    },
    targetBytes: target.bytes,
    check: (deep) => checkFerryCopy(ferry, source, target.folder, deep),
    close: stop,
  };
}

function resticCopy(options: CopyRouteOptions): CopyRoute {
  const source = options.sourceRepo('restic');
  const target = targetOf('restic', undefined, options);
  const to = target.folder;
  const cache = resticCache(options);
  const env: NodeJS.ProcessEnv = { ...process.env, RESTIC_PASSWORD: TARGET_PASSWORD, RESTIC_REPOSITORY: to, RESTIC_FROM_REPOSITORY: source, RESTIC_FROM_PASSWORD: PASSWORD };
  const restic = (...args: string[]) => runRestic(cache, env, args);
  const snapshots = async (from: boolean) => {
    const measured = await runRestic(cache, from ? { ...env, RESTIC_PASSWORD: PASSWORD, RESTIC_REPOSITORY: source } : env, ['snapshots', '--json']);
    return (JSON.parse(measured.stdout) as { tree: string }[]).map((s) => s.tree).sort();
  };
  return {
    id: 'restic',
    label: 'restic copy',
    sourceTool: 'restic',
    source,
    target: 'local',
    async prepare() {
      await target.clear();
      // As restic's documentation advises for a copy target: the source's chunker parameters.
      await restic('init', '--copy-chunker-params');
    },
    copy: async () => ({ measured: await restic('copy') }),
    targetBytes: target.bytes,
    async check(deep) {
      const want = await snapshots(true);
      const got = await snapshots(false);
      if (want.join() !== got.join()) throw new Error(`${to}: its snapshots' trees (${got.join(', ')}) are not the source's (${want.join(', ')})`);
      if (deep) await restic('check', '--read-data');
      return `${got.length} snapshots, same trees as the source${deep ? '; restic check --read-data: no errors' : ''}`;
    },
  };
}

/**
 * rsync of the source repository folder. Plain `rsync -a` leaves its writes in the page
 * cache, while Ferry (and restic) fsync every file they write: `--fsync` (rsync ≥ 3.2.4)
 * is the same copy made durable.
 */
function rsync(id: 'rsync' | 'rsync-fsync', sourceTool: ToolId, options: CopyRouteOptions): CopyRoute {
  const source = options.sourceRepo(sourceTool);
  const target = targetOf(id, undefined, options);
  const flags = id === 'rsync-fsync' ? ['-a', '--fsync'] : ['-a'];
  return {
    id,
    label: `rsync ${flags.join(' ')} (${sourceTool === 'restic' ? "restic's" : "Ferry's"} repository folder)`,
    sourceTool,
    source,
    target: 'local',
    prepare: target.clear,
    copy: async () => ({ measured: await measure('rsync', [...flags, `${source}/`, `${target.folder}/`]) }),
    targetBytes: target.bytes,
    async check() {
      if (filesOf(source) !== filesOf(target.folder)) throw new Error(`rsync: ${target.folder} does not hold the files of ${source}`);
      return 'the same files (names and sizes) as the source';
    },
  };
}

/** Every regular file under `dir` with its size, sorted, as one string to compare. */
function filesOf(dir: string): string {
  return execFileSync('find', ['.', '-type', 'f', '-printf', '%p %s\\n'], { cwd: dir, encoding: 'utf8' }).split('\n').sort().join('\n');
}
