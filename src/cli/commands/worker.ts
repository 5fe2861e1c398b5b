// `airlock worker`: drain the phase queue from this machine (runs where no editor is open).
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../../core/fs/writeFileAtomic';
import { join, resolve } from 'node:path';
import type { CliCommand } from '../types';
import { UsageError } from '../errors';
import { runWorker } from '../../core/phases/worker';
import type { WorkerEvent } from '../../core/phases/workerTypes';

const usage = `Usage:
  airlock worker [--phase P]... [--host NAME] [--once] [--max-entries N] [--config PATH]
Runs inside a clone of the queue repository: claims entries, runs them, pushes results.
Options:
  --host NAME       this machine's name in claims and runner configs (default: runner_hostname.txt, then the hostname)
  --phase P         only this phase (repeatable; default: the runner's phases)
  --once            run one entry, then exit
  --max-entries N   run at most N entries
  --vram-gb N       GPU memory of this host (default: detected with nvidia-smi)
  --lease-sec N     claim lease (default: the plan's leaseSec, 600)
  --no-wait         exit when nothing is free instead of waiting for other hosts' claims
  --quiet           do not echo each entry's output
  --pid-file PATH   write this process's PID there (for stopping a detached worker)`;

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'drain the phase queue: claim entries, run them, push results (Ctrl+C releases the claim)',
  async run(args, ctx) {
    let values;
    try {
      values = parseArgs({
        args,
        options: {
          phase: { type: 'string', multiple: true }, host: { type: 'string' }, once: { type: 'boolean' }, 'max-entries': { type: 'string' },
          config: { type: 'string' }, 'vram-gb': { type: 'string' }, 'lease-sec': { type: 'string' }, 'heartbeat-sec': { type: 'string' },
          'backoff-ms': { type: 'string' }, 'no-wait': { type: 'boolean' }, 'pid-file': { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        },
      }).values;
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${usage}`);
    }
    if (values.help) return ctx.stdout.write(usage + '\n'), 0;
    const num = (flag: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} must be a non-negative number, got "${v}"`);
      return n;
    };
    const cloneDir = process.cwd();
    // Started detached over SSH: the editor stops the worker through this file.
    if (values['pid-file']) writeFileAtomicSync(values['pid-file'], `${process.pid}\n`);
    const hostFile = join(cloneDir, 'runner_hostname.txt');
    const host = values.host ?? (existsSync(hostFile) ? readFileSync(hostFile, 'utf8').trim() : '') ?? hostname();
    const quiet = !!values.quiet;
    const log = (e: WorkerEvent) => {
      const line = describe(e, quiet);
      if (line) (e.type === 'output' && e.stream === 'stdout' ? ctx.stdout : ctx.stderr).write(line + '\n');
    };
    const summary = await runWorker(
      {
        cloneDir, host: host || hostname(), planPath: resolve(values.config ?? join(cloneDir, '.airlock/phases.json')),
        phases: values.phase, once: values.once, maxEntries: num('max-entries', values['max-entries']), vramGb: num('vram-gb', values['vram-gb']),
        leaseSec: num('lease-sec', values['lease-sec']), heartbeatSec: num('heartbeat-sec', values['heartbeat-sec']),
        backoffMs: num('backoff-ms', values['backoff-ms']), waitForClaims: !values['no-wait'],
      },
      ctx.signal,
      log,
    );
    ctx.stderr.write(`airlock worker: ${summary.done} done, ${summary.failed} failed, ${summary.lost} lost races${summary.pending ? `, ${summary.pending} result(s) kept locally — run the worker again to push them` : ''}\n`);
    if (summary.cancelled) return 130;
    return summary.pending ? 1 : 0;
  },
};

function describe(e: WorkerEvent, quiet: boolean): string | undefined {
  switch (e.type) {
    case 'start': return `[worker] ${e.host}: phases ${e.phases.join(', ') || '(none)'}${e.skipped.map((s) => `; skipping ${s.phase}: ${s.reason}`).join('')}`;
    case 'claimed': return `[worker] claimed ${e.entry}${e.how !== 'new' ? ` (${e.how}${e.from ? ` from ${e.from}` : ''})` : ''}`;
    case 'lost': return `[worker] ${e.entry} was claimed by another host first; taking the next entry`;
    case 'started': return `[worker] running ${e.entry}: ${e.command}`;
    case 'output': return quiet ? undefined : e.line;
    case 'finished': return `[worker] finished ${e.entry} in ${(e.durationMs / 1000).toFixed(1)} s`;
    case 'failed': return `[worker] ${e.entry} failed: ${e.reason}`;
    case 'claim-lost': return `[worker] lost the claim on ${e.entry} (another host took it over); stopped it`;
    case 'pending': return `[worker] could not push ${e.entry} (${e.error}); kept locally`;
    case 'pushed': return `[worker] pushed ${e.entry}`;
    case 'released': return `[worker] released the claim on ${e.entry}`;
    case 'retry': return `[worker] ${e.what} failed (${e.error.split('\n')[0]}); retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'waiting': return `[worker] nothing free; ${e.claimedByOthers} entries are claimed by other hosts — waiting for them to finish or expire`;
    case 'idle': return `[worker] done: ${e.reason}`;
    case 'stopped-leftover': return `[worker] stopped a run of ${e.entry} left by an earlier worker (process group ${e.pgid})`;
  }
}
