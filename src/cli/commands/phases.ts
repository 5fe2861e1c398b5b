// `airlock phases generate|status|release-stale|requeue-failed`: the git-backed queue from a terminal.
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import type { CliCommand, CliContext } from '../types';
import { inputFileFlag } from '../flags';
import { UsageError, InputError } from '../errors';
import { generate, ProtocolError, readQueueStatus, releaseStaleClaims, requeueFailed } from '../../core/phases/admin';
import { EntryNameCollision, UnusableEntryName } from '../../core/phases/entries';
import { loadPlan } from '../../core/phases/plan';
import { formatDuration, type PhaseStatus } from '../../core/phases/status';
import { runPhasesSubmit } from './phasesSubmit';

const usage = `Usage:
  airlock phases generate        [--config PATH] [--no-push] [--protocol refs|branch]
  airlock phases status          [--config PATH] [--json] [--entries] [--no-fetch]
  airlock phases release-stale   [--config PATH]
  airlock phases requeue-failed  [--config PATH] [--phase P]
  airlock phases submit          --cluster HOST --workers N ...   (phase workers as a Slurm job array; submit --help)
Options:
  --config PATH   the plan (default: .airlock/phases.json in the current clone)
  --no-push       generate: write the TODO lists into the checkout instead of committing and pushing
  --protocol P    generate: branch (every claim a commit on the branch; the default for a new queue) or
                  refs (one ref per entry; experimental, see docs/phases.md); "refs" migrates an existing queue`;

export const phasesCommand: CliCommand = {
  name: 'phases',
  summary: 'generate TODO lists from .airlock/phases.json, show queue status, release stale claims',
  async run(args, ctx) {
    if (args[0] === 'submit') return runPhasesSubmit(args.slice(1), ctx);
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          config: { type: 'string' },
          json: { type: 'boolean' },
          entries: { type: 'boolean' },
          'no-fetch': { type: 'boolean' },
          'no-push': { type: 'boolean' },
          protocol: { type: 'string' },
          phase: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${usage}`);
    }
    const { values, positionals } = parsed;
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    const [sub] = positionals;
    const cloneDir = process.cwd();
    if (values.config !== undefined) inputFileFlag('--config', values.config);
    const configPath = resolve(values.config ?? join(cloneDir, '.airlock/phases.json'));
    const plan = await loadPlan(configPath, values.config ?? '.airlock/phases.json');
    const admin = { cloneDir, signal: ctx.signal };
    try {
      if (sub === 'generate') {
        if (values.protocol !== undefined && values.protocol !== 'refs' && values.protocol !== 'branch')
          throw new UsageError(`--protocol takes "refs" or "branch", got "${values.protocol}"`);
        const res = await generate(plan, { ...admin, push: !values['no-push'], ...(values.protocol ? { protocol: values.protocol } : {}) });
        for (const r of res) ctx.stdout.write(`${r.path}: ${r.entries} entries${r.skippedDone ? ` (${r.skippedDone} already have a result)` : ''}\n`);
        return 0;
      }
      if (sub === 'status') {
        const st = await readQueueStatus(plan, { ...admin, fetch: !values['no-fetch'] });
        if (st.fetchError) ctx.stderr.write(`airlock phases: could not fetch (${st.fetchError}); showing ${st.source}\n`);
        if (values.json) ctx.stdout.write(JSON.stringify(st, null, 2) + '\n');
        else printStatus(st.phases, !!values.entries, ctx);
        return 0;
      }
      if (sub === 'release-stale') {
        const released = await releaseStaleClaims(admin);
        ctx.stdout.write(released.length ? `released ${released.length} stale claim(s): ${released.join(', ')}\n` : 'no stale claims\n');
        return 0;
      }
      if (sub === 'requeue-failed') {
        const requeued = await requeueFailed(plan, { ...admin, phase: values.phase });
        ctx.stdout.write(requeued.length ? `requeued ${requeued.length} failed entr${requeued.length === 1 ? 'y' : 'ies'}\n` : 'no failed entries\n');
        return 0;
      }
    } catch (err) {
      if (err instanceof EntryNameCollision || err instanceof UnusableEntryName || err instanceof ProtocolError)
        throw new InputError(`${plan.file}: ${err.message}`);
      throw err;
    }
    throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n${usage}`);
  },
};

function printStatus(phases: PhaseStatus[], entries: boolean, ctx: CliContext): void {
  const now = Date.now();
  for (const p of phases) {
    if (!p.generated) {
      ctx.stdout.write(`${p.phase}: not generated yet (airlock phases generate)\n`);
      continue;
    }
    const c = p.counts;
    ctx.stdout.write(
      `${p.phase}: ${c.done}/${p.total} done · ${c.todo} todo · ${c.claimed} claimed · ${c.running} running · ${c.stale} stale · ${c.failed} failed\n`,
    );
    if (!entries) continue;
    for (const e of p.entries) {
      const who = e.claim
        ? ` ${e.claim.host} for ${formatDuration(now - Date.parse(e.claim.claimedAt))}`
        : e.failure
          ? ` ${e.failure.host}: ${e.failure.reason}`
          : '';
      ctx.stdout.write(`  ${e.state.padEnd(8)} ${e.entry}${who}\n`);
    }
  }
}
