// `airlock sweep run|collect`: BloomBee's cluster_launch_queue.py / run_sequenced_tradeoff_sweep.py /
// collect_and_analyze.py from a terminal, on the same config files, printing the same transcript.
import type { CliCommand, CliContext } from '../types';
import { inputFileFlag, outputDirFlag } from '../flags';
import { InputError, UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { parseSweepConfig, runTagProblem } from '../../core/sweep/sweepConfig';
import type { RunSweepOptions, SweepResult } from '../../core/sweep/runSweep';
import { SweepRuns } from '../../core/sweep/sweepRuns';
import type { SweepEvent } from '../../core/sweep/sweepEvents';
import { acceptNewHostKeys } from '../../core/ssh/hostKeyPolicy';

const usage = `Usage:
  airlock sweep run CONFIG.json [--mode queue|sequenced] [--dry-run] [--run-tag T] [--local-root DIR] [--follow] [--no-collect]
  airlock sweep collect CONFIG.json [--mode queue|sequenced] [--run-tag T] [--local-root DIR] [--skip-analysis] [--strict] [--dry-run]
Options:
  --mode                 queue (cluster_launch_queue.py) or sequenced (run_sequenced_tradeoff_sweep.py);
                         default: sequenced when the schedule has wait_after_*/inter_case_sec/reinstall_* keys
  --local-root DIR       where logs and matrices go (default ./collected_runs)
  --follow               print every role's remote log lines as they arrive
  --no-collect           queue mode: do not collect and analyse at the end
  --ssh-config PATH      OpenSSH client config for host aliases (default ~/.ssh/config)
  --accept-new-host-key  trust host keys seen for the first time (changed keys are always refused)
Exit codes: 0 every case done, 1 a case failed, 2 bad config (file:line: field), 130 cancelled.`;

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'multi-host BloomBee sweeps: run (queue or sequenced), collect logs, write trade-off matrices',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const parsed = parseOptions(
      {
        args: rest,
        allowPositionals: true,
        options: {
          mode: { type: 'string' },
          'dry-run': { type: 'boolean' },
          'run-tag': { type: 'string' },
          'local-root': { type: 'string' },
          follow: { type: 'boolean' },
          'no-collect': { type: 'boolean' },
          'skip-analysis': { type: 'boolean' },
          strict: { type: 'boolean' },
          'ssh-config': { type: 'string' },
          'accept-new-host-key': { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    const v = parsed.values;
    if (v.help || !sub || sub === '--help') return (ctx.stdout.write(usage + '\n'), v.help || sub === '--help' ? 0 : 2);
    if (sub !== 'run' && sub !== 'collect') throw new UsageError(`unknown subcommand "${sub}"\n${usage}`);
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length) throw new UsageError(`sweep ${sub} needs exactly one CONFIG.json\n${usage}`);
    if (v.mode !== undefined && v.mode !== 'queue' && v.mode !== 'sequenced') throw new UsageError(`--mode must be queue or sequenced, not "${v.mode}"`);
    if (v['ssh-config'] !== undefined) inputFileFlag('--ssh-config', v['ssh-config']);
    if (v['local-root'] !== undefined) outputDirFlag('--local-root', v['local-root']);
    const tagProblem = v['run-tag'] === undefined ? undefined : runTagProblem(v['run-tag'].trim());
    if (tagProblem) throw new UsageError(`--run-tag ${tagProblem}`);
    const accept = !!v['accept-new-host-key'] || process.env.AIRLOCK_ACCEPT_NEW_HOST_KEY === '1';
    const config = await parseSweepConfig(file);
    if (sub === 'collect' && !v['run-tag'] && !String(config.schedule.get('run_tag') ?? '').trim()) {
      throw new InputError(`${file}: run_tag is empty; pass --run-tag or set schedule.run_tag`);
    }
    const opts: RunSweepOptions = {
      mode: v.mode as RunSweepOptions['mode'],
      dryRun: !!v['dry-run'],
      runTag: v['run-tag'],
      localRoot: v['local-root'],
      sshConfigPath: v['ssh-config'],
      hostKeyPolicy: accept ? acceptNewHostKeys : undefined,
      tailLogs: !!v.follow,
      collect: !v['no-collect'],
    };
    // The same SweepRuns the editor uses; Ctrl+C, SIGTERM, SIGHUP and a closed stdout (ctx.signal) cancel through it.
    const { done } = new SweepRuns().start({
      what: sub,
      config,
      configPath: file,
      signal: ctx.signal,
      onEvent: printer(ctx, !!v.follow),
      options: sub === 'run' ? opts : { ...opts, skipAnalysis: !!v['skip-analysis'], strict: !!v.strict },
    });
    return exitCode(await done, ctx);
  },
};

function printer(ctx: CliContext, follow: boolean): (e: SweepEvent) => void {
  return (e) => {
    if (e.type === 'output') (e.warning ? ctx.stderr : ctx.stdout).write(e.line + '\n');
    else if (e.type === 'log' && follow) ctx.stdout.write(`[${e.role}@${e.caseTag}] ${e.line}\n`);
  };
}

function exitCode(r: SweepResult, ctx: CliContext): number {
  const failed = r.cases.filter((c) => c.state === 'failed');
  for (const c of failed) ctx.stderr.write(`airlock sweep: case ${c.caseIndex} ${c.caseName} failed: ${c.reason ?? 'unknown reason'}\n`);
  if (r.cancelled) return 130;
  return failed.length ? 1 : 0;
}
