// `airlock worker`: drain the phase queue from this machine (runs where no editor is open).
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../../core/fs/writeFileAtomic';
import { join, resolve } from 'node:path';
import type { CliCommand } from '../types';
import { inputFileFlag, numberFlag, outputFileFlag } from '../flags';
import { UsageError } from '../errors';
import { runWorker } from '../../core/phases/worker';
import type { WorkerEvent } from '../../core/phases/workerTypes';
import { describeEvent } from '../../core/phases/workerEvents';

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
  --events jsonl    print every event as one JSON object per line on stdout (for programs: the editor)
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
          phase: { type: 'string', multiple: true },
          host: { type: 'string' },
          once: { type: 'boolean' },
          'max-entries': { type: 'string' },
          config: { type: 'string' },
          'vram-gb': { type: 'string' },
          'lease-sec': { type: 'string' },
          'heartbeat-sec': { type: 'string' },
          'backoff-ms': { type: 'string' },
          'no-wait': { type: 'boolean' },
          'pid-file': { type: 'string' },
          events: { type: 'string' },
          quiet: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      }).values;
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${usage}`);
    }
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    const num = (flag: string, v: string | undefined) => numberFlag(`--${flag}`, v, { min: 0 });
    if (values['pid-file'] !== undefined) outputFileFlag('--pid-file', values['pid-file']);
    if (values.config !== undefined) inputFileFlag('--config', values.config);
    const cloneDir = process.cwd();
    // Started detached over SSH: the editor stops the worker through this file.
    if (values['pid-file']) writeFileAtomicSync(values['pid-file'], `${process.pid}\n`);
    const hostFile = join(cloneDir, 'runner_hostname.txt');
    const host = values.host ?? (existsSync(hostFile) ? readFileSync(hostFile, 'utf8').trim() : '') ?? hostname();
    const quiet = !!values.quiet;
    if (values.events !== undefined && values.events !== 'jsonl') throw new UsageError(`--events takes "jsonl", got "${values.events}"`);
    const jsonl = values.events === 'jsonl';
    const log = (e: WorkerEvent) => {
      if (jsonl) {
        if (!(quiet && e.type === 'output')) ctx.stdout.write(`${JSON.stringify(e)}\n`);
        return;
      }
      const line = describeEvent(e, quiet);
      if (line) (e.type === 'output' && e.stream === 'stdout' ? ctx.stdout : ctx.stderr).write(line + '\n');
    };
    const summary = await runWorker(
      {
        cloneDir,
        host: host || hostname(),
        planPath: resolve(values.config ?? join(cloneDir, '.airlock/phases.json')),
        phases: values.phase,
        once: values.once,
        maxEntries: num('max-entries', values['max-entries']),
        vramGb: num('vram-gb', values['vram-gb']),
        leaseSec: num('lease-sec', values['lease-sec']),
        heartbeatSec: num('heartbeat-sec', values['heartbeat-sec']),
        backoffMs: num('backoff-ms', values['backoff-ms']),
        waitForClaims: !values['no-wait'],
      },
      ctx.signal,
      log,
    );
    ctx.stderr.write(
      `airlock worker: ${summary.done} done, ${summary.failed} failed, ${summary.lost} lost races${summary.pending ? `, ${summary.pending} result(s) kept locally — run the worker again to push them` : ''}\n`,
    );
    if (summary.cancelled) return 130;
    return summary.pending ? 1 : 0;
  },
};
