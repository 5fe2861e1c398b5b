// `airlock sync watch|status|resume`: background checkpoint sync beside a training process (local
// disk → Google Drive / Hugging Face Hub), what it holds where, and the checkpoint to resume from.
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand, CliContext } from '../types';
import { UsageError } from '../errors';
import { loadSyncConfig, type SyncConfig } from '../../core/sync/syncConfig';
import { SyncWatcher } from '../../core/sync/watcher';
import { driveTier, hfTier, type RemoteTier } from '../../core/sync/tiers';
import { readSyncState, syncStatePath } from '../../core/sync/syncState';
import { formatSyncStatus } from '../../core/sync/syncStatus';
import { resumeCheckpoint, ResumeError, type ResumeResult } from '../../core/sync/resume';
import { driveApi, hubApi, hubToken } from './syncSetup';

const syncUsage = `Usage:
  airlock sync watch DIR --config sync.json     upload complete files in DIR to the configured tiers until stopped
  airlock sync status DIR [--json]              what is confirmed where, uploads in progress, errors
  airlock sync resume NAME|--latest -o OUT --config sync.json [--dir DIR] [--if-any] [--json]
                                                local disk, then Drive, then the Hub; hash-checked
                                                (--if-any: exit 0 printing no path when every tier
                                                answered it has none — a first run; a tier that
                                                failed or lost a checkpoint still exits 1)
Options:
  --config FILE        the sync config (tiers, patterns, intervals, retention; see docs/airlock.md)
  --no-nice            do not lower the sync's CPU priority (it runs at nice 10 by default)
  --hub-url URL --drive-root-url URL --token-url URL    other endpoints (tests, proxies)
Credentials (never flags): AIRLOCK_DRIVE_SA_JSON or "airlock colab login"; HF_TOKEN or AIRLOCK_HF_TOKEN_FILE.`;

const options = {
  config: { type: 'string' },
  dir: { type: 'string' },
  latest: { type: 'boolean' },
  'if-any': { type: 'boolean' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  'no-nice': { type: 'boolean' },
  'hub-url': { type: 'string' },
  'drive-root-url': { type: 'string' },
  'token-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parse>['values'];
const parse = (args: string[]) => parseArgs({ args, allowPositionals: true, options });

async function config(flags: Flags): Promise<SyncConfig> {
  if (!flags.config) throw new UsageError(`--config sync.json is required\n${syncUsage}`);
  return loadSyncConfig(flags.config);
}

async function buildTiers(cfg: SyncConfig, flags: Flags, signal: AbortSignal): Promise<RemoteTier[]> {
  const tiers: RemoteTier[] = [];
  if (cfg.drive) tiers.push(driveTier(cfg.drive, await driveApi(flags, signal)));
  if (cfg.hf) tiers.push(hfTier(cfg.hf, hubApi(await hubToken(), flags, signal)));
  return tiers;
}

async function watch(dir: string, flags: Flags, ctx: CliContext): Promise<number> {
  const cfg = await config(flags);
  // Training comes first: the sync yields the CPU to it.
  if (!flags['no-nice']) {
    try {
      setPriority(10);
    } catch {
      /* not allowed here: run at the normal priority */
    }
  }
  const tiers = await buildTiers(cfg, flags, ctx.signal);
  const w = await SyncWatcher.open({
    dir: resolve(dir),
    config: cfg,
    tiers,
    signal: ctx.signal,
    log: (l) => ctx.stdout.write(`${new Date().toISOString()} ${l}\n`),
  });
  ctx.stdout.write(
    `airlock sync: watching ${resolve(dir)} → ${tiers.map((t) => `${t.name} (${t.patterns.join(', ')} every ${t.intervalSec}s)`).join(', ')}; state ${syncStatePath(resolve(dir))}\n`,
  );
  await w.run();
  return 0;
}

async function status(dir: string, flags: Flags, ctx: CliContext): Promise<number> {
  const s = await readSyncState(resolve(dir));
  if (!s) throw new UsageError(`no sync state in ${resolve(dir)} (${syncStatePath(resolve(dir))}); start "airlock sync watch" there first`);
  ctx.stdout.write(flags.json ? `${JSON.stringify(s, null, 2)}\n` : formatSyncStatus(s));
  return 0;
}

async function resume(name: string | undefined, flags: Flags, ctx: CliContext): Promise<number> {
  if (!name && !flags.latest) throw new UsageError(`resume needs a checkpoint name or --latest\n${syncUsage}`);
  if (!flags.out) throw new UsageError(`resume needs -o DIR (where the checkpoint goes)\n${syncUsage}`);
  const cfg = await config(flags);
  try {
    const r = await resumeCheckpoint({
      dir: resolve(flags.dir ?? flags.out),
      config: cfg,
      ...(name ? { name } : {}),
      outDir: resolve(flags.out),
      ...(cfg.drive ? { drive: () => driveApi(flags, ctx.signal) } : {}),
      // Without a token the Hub tier is skipped with that reason — a failed tier, not an empty one.
      ...(cfg.hf
        ? {
            hub: await hubToken().then(
              (t) => () => hubApi(t, flags, ctx.signal),
              (err: unknown) => () => {
                throw err;
              },
            ),
          }
        : {}),
    });
    if (flags.json) ctx.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      writeSkipped(r.skipped, ctx);
      ctx.stdout.write(`${r.path}\n`);
      ctx.stderr.write(`airlock sync: resumed ${r.name} from ${r.tier} (sha256 ${r.sha256.slice(0, 12)}…)\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ResumeError && flags['if-any'] && err.nothingAnywhere) {
      // A first run: nothing to resume anywhere, and every tier said so.
      if (flags.json) ctx.stdout.write(`${JSON.stringify({ tier: null, skipped: err.skipped })}\n`);
      else {
        writeSkipped(err.skipped, ctx);
        ctx.stderr.write('airlock sync: no checkpoint in any tier: start from scratch\n');
      }
      return 0;
    }
    if (err instanceof ResumeError && flags.json) ctx.stdout.write(`${JSON.stringify({ error: err.message, skipped: err.skipped })}\n`);
    throw err;
  }
}

/** Why each tier before the one that served (or every tier, when none did) was passed over. */
function writeSkipped(skipped: ResumeResult['skipped'], ctx: CliContext): void {
  for (const s of skipped) ctx.stderr.write(`airlock sync: skipped ${s.tier}: ${s.reason}\n`);
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'background checkpoint sync to Drive / Hugging Face Hub, its status, resume from the best tier',
  async run(args, ctx) {
    let parsed;
    try {
      parsed = parse(args);
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${syncUsage}`);
    }
    const { values, positionals } = parsed;
    if (values.help) return (ctx.stdout.write(`${syncUsage}\n`), 0);
    const [sub, target] = positionals;
    if (sub === 'resume') return resume(target, values, ctx);
    if (!target) throw new UsageError(`${sub ? `${sub} needs the watched directory` : 'missing subcommand'}\n${syncUsage}`);
    if (sub === 'watch') return watch(target, values, ctx);
    if (sub === 'status') return status(target, values, ctx);
    throw new UsageError(`unknown subcommand "${sub}"\n${syncUsage}`);
  },
};
