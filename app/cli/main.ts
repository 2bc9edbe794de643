import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { engineContract } from '../../shared/contract/engine.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { resolveDataDir } from '../config/data-dir.ts';
import { VERSION } from '../version.ts';
import { formatBytes, parseBytes } from '../../shared/format/bytes.ts';
import { escapeForTerminal, jsonForTerminal } from './escape.ts';
import { outsideStoreContext, withStoreContext } from '../storage/store-context.ts';
import type { CommandIo } from './repo-commands.ts';
import type { RetentionSpec } from '../../shared/domain/job.ts';

// A command imports what it needs when it runs: the engine, the console server, the
// copy engine and the AWS SDK cost `ferry --version` ~50 MiB of memory and ~0.5 s, and
// `ferry backup` the ~20 MiB it does not use.
const repoCommands = () => import('./repo-commands.ts');
const copyCommands = () => import('./copy-commands.ts');
const jobCommands = () => import('./job-commands.ts');
const forgetCommands = () => import('./forget-commands.ts');

const HELP = `Ferry ${VERSION}: backup copy jobs from the command line.

Usage: ferry <command> [options]

Commands:
  serve                          Start the engine and serve the console on
                                 http://127.0.0.1 (prints the URL with its access token;
                                 a new one at each start, and on SIGUSR2)
  info                           Show the engine's version and data folder
  repo list                      List the repositories registered in the catalog

  repo init <repo> [--encrypt]   Create a repository (<repo>: a folder, or s3://bucket/prefix)
  repo passwd <repo>             Change the password (FERRY_PASSWORD → FERRY_NEW_PASSWORD);
                                 key files are rewrapped, data is not re-encrypted
  backup <repo> --job <name> --workload <name>=<folder> [--workload …] [--exclude <glob> …]
                                 Back up folders; prints the new restore point ids
  points <repo> [--job <name>]   List restore points
  points rm <repo> <point-id> [--dry-run] [--prune] [--job <name>]
                                 Forget one restore point (its manifest is removed at once);
                                 its data stays stored until a compaction: --prune compacts
                                 its backup right after (else ferry gc, or its job's next run
                                 that forgets a point). --dry-run names it, removes nothing
  forget <repo> --job <name> --keep <n> [--weekly <n>] [--monthly <n>] [--yearly <n>]
         [--weekday <0-6>] [--dry-run]
                                 Apply retention to each workload of the job's backup: keep
                                 the newest n points and the GFS points (flags as the points
                                 carry them) of the last n weeks, months, years (weeks from
                                 --weekday, 0 = Sunday, local time); print each point kept or
                                 removed and why, then compact the backup. --dry-run only
                                 prints what would be removed and why
  restore <repo> <point-id> <target-folder> [--path <sub/path> …] [--keep-special-bits] [--job <name>]
                                 Restore a point, or chosen paths of it, into a folder
                                 (outside the repository's folder); setuid, setgid and
                                 sticky bits only with --keep-special-bits
  verify <repo> [<point-id>] [--repair] [--job <name>]
                                 Read and check every chunk and pack header; report all damage
                                 by point and file (exit 1 if any). --repair first rebuilds each
                                 backup's index from its packs and moves what cannot be read
                                 to the backup's quarantine/ folder
  gc <repo> [--dry-run] [--backup <folder>]
                                 Compact each backup (or the one in <folder>): delete the packs
                                 no restore point needs, repack those more than 25 % unneeded,
                                 delete packs a stopped run left, merge small index files; says
                                 what it removes and reclaims. Takes the backup's exclusive lock
                                 (a backup in use is named and left; exit 1). --dry-run only says
  copy --from <repo> --to <repo> --job <name> [--workload <name> …] [--encrypt]
       [--parallel <n>] [--limit <rate>] [--allow-plaintext]
                                 Copy the newest restore point of each workload not copied
                                 yet into the job's backup on the target (made on first use);
                                 only missing chunks travel. Target password from
                                 FERRY_TARGET_PASSWORD; --limit e.g. 20M (bytes/s), 64KiB–100GiB.
                                 Encrypted backups go only into an encrypted target, unless
                                 --allow-plaintext
  job ls                         List the jobs in the catalog with their last result
  job run <name>                 Run a catalog job now and wait for it (progress on stderr)

Passwords come from FERRY_PASSWORD or a prompt. points, restore, verify and gc open each
backup with the password it needs (a prompt asks per backup where FERRY_PASSWORD does
not open it); one that cannot be opened is named on stderr, the others are still read. S3 credentials from AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_REGION and FERRY_S3_ENDPOINT (for S3-compatible servers).
A failing S3 request is retried for 2 minutes (FERRY_S3_RETRY_SECONDS or --s3-retry).

Options:
  --data-dir <dir>   Data folder (default: FERRY_DATA_DIR or the OS's app-data folder)
  --json             Machine-readable output
  --port <n>         serve: port to listen on (0: any free port); by default the one this
                     data folder's console used last, else 9470 (another if taken)
  --host <address>   serve: interface to bind (default 127.0.0.1); any other sends the
                     access link over the network: use TLS (see the README)
  --tls-cert <file>  serve: certificate (PEM) to serve the console over HTTPS,
  --tls-key <file>          with its private key (PEM)
  --allowed-host <name>
                     serve: another name the console may be reached by (a DNS name,
                     a reverse proxy's); repeatable
  --link-file <file> serve: write the console's link to this file (0600, replaced on
                     kill -USR2, removed at stop) instead of stdout (for a service's log)
  --s3-retry <s>     Retry failing S3 requests for this many seconds (0–3600, default 120)
  -h, --help         Show this help
  -v, --version      Show the version

Exit code 0 means success; anything else is an error, described on stderr.`;

const options = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  port: { type: 'string' },
  host: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  'link-file': { type: 'string' },
  encrypt: { type: 'boolean', default: false },
  job: { type: 'string' },
  workload: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  path: { type: 'string', multiple: true },
  'keep-special-bits': { type: 'boolean', default: false },
  from: { type: 'string' },
  to: { type: 'string' },
  parallel: { type: 'string' },
  limit: { type: 'string' },
  repair: { type: 'boolean', default: false },
  backup: { type: 'string' },
  keep: { type: 'string' },
  weekly: { type: 'string' },
  monthly: { type: 'string' },
  yearly: { type: 'string' },
  weekday: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  prune: { type: 'boolean', default: false },
  's3-retry': { type: 'string' },
  'allow-plaintext': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

class UsageError extends Error {}

/** Digits only: Number() would also take "", " ", "0x10", "1e3" and "1.0". NaN for anything else. */
function wholeNumber(text: string): number {
  return /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
}

/** An integer option as given (a sign allowed: the retention schema says what it refuses), else a usage error. */
function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d{1,9}$/.test(value)) throw new UsageError(`--${name} must be a whole number, not "${value}".`);
  return Number(value);
}

const RETENTION_OPTIONS: Record<string, string> = { keepPoints: 'keep', weekly: 'weekly', monthly: 'monthly', yearly: 'yearly', weekday: 'weekday' };

/** `ferry forget`'s retention, checked by the schema jobs use: its message, at the option it is about. */
async function retentionOf(values: Values): Promise<RetentionSpec> {
  const { retentionSpec } = await import('../../shared/domain/job.ts');
  if (values.keep === undefined) throw new UsageError('Missing --keep <n>: how many of the newest points of each workload to keep. Run ferry --help for the usage.');
  const gfs = Object.fromEntries(
    (['weekly', 'monthly', 'yearly', 'weekday'] as const).flatMap((name) => {
      const value = integerOption(values[name], name);
      return value === undefined ? [] : [[name, value]];
    }),
  );
  const parsed = retentionSpec.safeParse({ keepPoints: integerOption(values.keep, 'keep'), ...(Object.keys(gfs).length > 0 ? { gfs } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path.at(-1) ?? 'keepPoints');
    throw new UsageError(`--${RETENTION_OPTIONS[field] ?? field}: ${issue.message}`);
  }
  return parsed.data;
}

/** The CLI talks to an in-process engine through the same contract as the console. */
async function withClient<T>(values: Values, work: (client: RpcClient<typeof engineContract>) => Promise<T>): Promise<T> {
  const [{ Engine }, contract, { RpcClient }, { serveChannel }, { createMemoryChannelPair }] = await Promise.all([
    import('../engine.ts'),
    import('../../shared/contract/engine.ts'),
    import('../../shared/rpc/client.ts'),
    import('../../shared/rpc/server.ts'),
    import('../../shared/rpc/transports/memory.ts'),
  ]);
  const engine = await Engine.start({ dataDir: resolveDataDir(values['data-dir']), host: 'cli' });
  const [clientEnd, engineEnd] = createMemoryChannelPair();
  serveChannel(engineEnd, contract.engineContract, engine.handlers, engine.events);
  const client = new RpcClient(contract.engineContract, clientEnd);
  try {
    return await work(client);
  } finally {
    client.close();
    await engine.close();
  }
}

/** Output names what a repository holds: what a terminal would act on is escaped (escape.ts). */
function print(values: Values, data: unknown, text: () => string): void {
  process.stdout.write(`${values.json ? jsonForTerminal(data) : escapeForTerminal(text())}\n`);
}

async function readTls(values: Values): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together: give the certificate and its private key.');
  const { readFile } = await import('node:fs/promises');
  const read = (file: string, what: string) =>
    readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`Cannot read the TLS ${what} ${file} (${error.code ?? error.message}).`);
    });
  return { cert: await read(certFile, 'certificate'), key: await read(keyFile, 'key') };
}

async function serve(values: Values): Promise<void> {
  const port = values.port === undefined ? undefined : wholeNumber(values.port);
  if (port !== undefined && !(port >= 0 && port <= 65535)) throw new UsageError(`--port must be 0–65535, not "${values.port}".`);
  const tls = await readTls(values);
  const dataDir = resolveDataDir(values['data-dir']);
  // A closed terminal or log pipe must not end the engine and its jobs: what cannot be written is dropped.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const [{ Engine }, { startServe }, { listenOnConsolePort }] = await Promise.all([import('../engine.ts'), import('../host/serve.ts'), import('../host/serve-port.ts')]);
  const engine = await Engine.start({
    dataDir,
    host: 'serve',
    schedule: true,
    log: (message) => process.stderr.write(`ferry: ${escapeForTerminal(message)}\n`),
  });
  const rendererDir = path.resolve(fileURLToPath(new URL('../../dist/renderer', import.meta.url)));
  const served = await listenOnConsolePort({
    catalog: engine.catalog,
    asked: port,
    note: (message) => process.stderr.write(`ferry: ${message}\n`),
    start: (free) =>
      startServe({
        engine,
        rendererDir,
        port: free,
        ...(values.host ? { host: values.host } : {}),
        ...(tls ? { tls } : {}),
        ...(values['allowed-host'] ? { allowedHosts: values['allowed-host'] } : {}),
      }),
  }).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  for (const warning of served.warnings) process.stderr.write(`ferry: WARNING: ${warning}\n`);
  const linkFile = values['link-file'] === undefined ? undefined : path.resolve(values['link-file']);
  const links = linkFile ? await import('../host/link-file.ts') : undefined;
  // Where the link goes: stdout, or (--link-file) a private file, stdout saying where.
  const announce = async (url: string, rotated: boolean) => {
    const heading = rotated ? ['Access rotated: open consoles need the new link.'] : [];
    const footer = rotated ? [] : [`Data folder:   ${dataDir}`, 'Press Ctrl+C to stop.'];
    if (!linkFile || !links) {
      print(values, { url, port: served.port, dataDir, ...(rotated ? { rotated } : {}) }, () => [...heading, `Ferry console: ${url}`, ...footer].join('\n'));
      return;
    }
    await links.writeLinkFile(linkFile, url);
    print(values, { linkFile, port: served.port, dataDir, ...(rotated ? { rotated } : {}) }, () =>
      [...heading, `Console link in: ${linkFile}`, ...footer].join('\n'),
    );
  };
  const stop = async () => {
    await served.close();
    await engine.close();
    if (linkFile && links) await links.removeLinkFile(linkFile).catch(() => undefined);
    process.exit(0);
  };
  // Listening before the link is out: whoever reads it may signal at once. Links go out in
  // order (a rotation during the first write is announced after it).
  let announced: Promise<void> = Promise.resolve();
  // On demand (kill -USR2 <pid>, or systemd's ExecReload): a new link; open consoles ask for it.
  process.on('SIGUSR2', () => {
    const url = served.rotate();
    announced = announced
      .catch(() => undefined)
      .then(() => announce(url, true))
      .catch((error: unknown) => {
        process.stderr.write(
          `ferry: access rotated, but the new link could not be written to ${linkFile ?? 'stdout'} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); rotate again once it can\n`,
        );
      });
  });
  const stopOrFail = () =>
    void stop().catch((error: unknown) => {
      process.stderr.write(`ferry: stopping failed: ${escapeForTerminal(String(error))}\n`);
      process.exit(1);
    });
  process.once('SIGINT', stopOrFail);
  process.once('SIGTERM', stopOrFail);
  announced = announce(served.url, false);
  try {
    await announced;
  } catch (error) {
    await served.close();
    await engine.close();
    throw new UsageError(`Cannot write the console's link to ${linkFile ?? 'stdout'} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [commandName, sub, ...rest] = positionals;
  const io: CommandIo = {
    json: values.json,
    print: (data, text) => print(values, data, text),
    note: (line) => process.stderr.write(`${escapeForTerminal(line)}\n`),
  };
  const need = (value: string | undefined, what: string): string => {
    if (value === undefined || value === '') throw new UsageError(`Missing ${what}. Run ferry --help for the usage.`);
    return value;
  };
  if (values['s3-retry'] !== undefined) {
    const { retrySecondsToMs } = await import('../storage/s3-retry.ts');
    let ms: number;
    try {
      ms = retrySecondsToMs(values['s3-retry'], '--s3-retry');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // Checked here; every S3 store this command opens, in the engine too, reads it from the environment.
    process.env['FERRY_S3_RETRY_SECONDS'] = String(ms / 1000);
  }
  if (values.help || commandName === undefined || commandName === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  switch (commandName) {
    case 'serve':
      // The console's requests are no run: someone waits for their answer, so S3 calls retry briefly (runs set their own context).
      await outsideStoreContext(() => serve(values));
      return 0;
    case 'info':
      await withClient(values, async (client) => {
        const info = await client.call('engine.info', {});
        print(values, info, () => `Ferry ${info.version}\nData folder: ${info.dataDir}`);
      });
      return 0;
    case 'backup': {
      let workloads;
      try {
        workloads = (await repoCommands()).parseWorkloads(values.workload ?? [], values.exclude ?? []);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      return (await repoCommands()).backup(io, need(sub, '<repo>'), need(values.job, '--job <name>'), workloads);
    }
    case 'points':
      if (sub === 'rm') {
        return (await forgetCommands()).pointsRm(io, need(rest[0], '<repo>'), need(rest[1], '<point-id>'), { dryRun: values['dry-run'], prune: values.prune, job: values.job });
      }
      return (await repoCommands()).points(io, need(sub, '<repo>'), values.job);
    case 'forget':
      return (await forgetCommands()).forget(io, need(sub, '<repo>'), need(values.job, '--job <name>'), await retentionOf(values), values['dry-run']);
    case 'restore':
      return (await repoCommands()).restore(io, need(sub, '<repo>'), need(rest[0], '<point-id>'), need(rest[1], '<target-folder>'), {
        paths: values.path ?? [],
        keepSpecialBits: values['keep-special-bits'],
        job: values.job,
      });
    case 'verify':
      return (await repoCommands()).verify(io, need(sub, '<repo>'), rest[0], { repair: values.repair, job: values.job });
    case 'gc':
      return (await import('./gc-command.ts')).gc(io, need(sub, '<repo>'), { dryRun: values['dry-run'], folder: values.backup });
    case 'copy': {
      const parallel = values.parallel === undefined ? 2 : wholeNumber(values.parallel);
      if (!(parallel >= 1 && parallel <= 16)) throw new UsageError(`--parallel must be 1–16, not "${values.parallel}".`);
      const limit = values.limit === undefined ? undefined : parseBytes(values.limit);
      if (values.limit !== undefined) {
        const { RATE_LIMIT } = await import('../../shared/domain/job.ts');
        // Below the minimum a chunk waits minutes (1 byte/s overflowed a timer and ran unthrottled); above it, nothing is limited.
        if (limit === undefined || !Number.isSafeInteger(limit) || limit < RATE_LIMIT.min || limit > RATE_LIMIT.max) {
          throw new UsageError(`--limit must be a rate from 64KiB to 100GiB (bytes per second), such as 20M, not "${values.limit}".`);
        }
      }
      return (await copyCommands()).copy(io, {
        from: need(values.from, '--from <repo>'),
        to: need(values.to, '--to <repo>'),
        job: need(values.job, '--job <name>'),
        workloads: values.workload ?? [],
        encrypt: values.encrypt,
        allowPlaintext: values['allow-plaintext'],
        parallel,
        limit,
      });
    }
    case 'job':
      if (sub === 'ls') return withClient(values, async (client) => (await jobCommands()).list(io, client));
      if (sub === 'run') return withClient(values, async (client) => (await jobCommands()).run(io, client, need(rest[0], '<name>')));
      throw new UsageError(`Unknown job command "${sub ?? ''}". Try: ferry job ls or ferry job run <name>`);
    case 'repo':
      if (sub === 'init') return (await repoCommands()).repoInit(io, need(rest[0], '<repo>'), values.encrypt);
      if (sub === 'passwd') return (await repoCommands()).repoPasswd(io, need(rest[0], '<repo>'));
      if (sub !== 'list') throw new UsageError(`Unknown repo command "${sub ?? ''}". Try: ferry repo init <repo> or ferry repo list`);
      await withClient(values, async (client) => {
        const { describeLocation } = await import('../../shared/domain/repository.ts');
        const repos = await client.call('repos.list', {});
        print(values, repos, () =>
          repos
            .map((repo) => {
              const state = repo.status === 'available' && repo.space
                ? `${formatBytes(repo.space.freeBytes)} free of ${formatBytes(repo.space.totalBytes)}`
                : `unavailable: ${repo.statusMessage ?? ''}`;
              return `${repo.name}${repo.isDefault ? ' (default)' : ''}\n  ${describeLocation(repo.location)}\n  ${state}`;
            })
            .join('\n'),
        );
      });
      return 0;
    default:
      throw new UsageError(`Unknown command "${commandName}". Run ferry --help for the list.`);
  }
}

// Each S3 retry is told on stderr: a command that seems to hang says why.
withStoreContext({ log: (message) => process.stderr.write(`ferry: ${escapeForTerminal(message)}\n`) }, () => main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    const message = error instanceof FerryError ? `${error.message} (${error.code})` : (error as Error).message;
    process.stderr.write(`ferry: ${escapeForTerminal(message)}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
