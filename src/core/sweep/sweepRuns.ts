// Every sweep run of a process (the editor's list, the CLI's one run): started, cancelled and
// reported here, so both front ends run the same code with the same options. Cancel goes through
// `cancel` only; an outside signal (Ctrl+C, the job's Cancel button) is linked to it.
import { isCancelled } from '../process/errors';
import { errorMessage } from '../text/errorMessage';
import type { CollectOptions } from './collectRun';
import { collectSweep, dryRunSummary, runSweep, type RunSweepOptions, type SweepResult } from './runSweep';
import type { SweepConfig } from './sweepConfig';
import type { SweepEvent, SweepEventListener } from './sweepEvents';
import { SweepRun, type RoleView } from './sweepRun';

export interface StartSweep {
  what: 'run' | 'collect';
  config: SweepConfig;
  configPath: string;
  options: RunSweepOptions & CollectOptions;
  /** Called after the run's own state has taken the event in; `role` is the role a log or role event is about. */
  onEvent?: (e: SweepEvent, run: SweepRun, role: RoleView | undefined) => void;
  /** Cancels the run when aborted. */
  signal?: AbortSignal;
}

export interface StartedSweep {
  run: SweepRun;
  /** The result; rejects when the run could not go on (the run's `error` says why). */
  done: Promise<SweepResult>;
}

export class SweepRuns {
  readonly runs: SweepRun[] = [];
  private readonly controllers = new Map<string, AbortController>();
  private seq = 0;

  start(req: StartSweep): StartedSweep {
    const run = new SweepRun(req.configPath, ++this.seq);
    this.runs.push(run);
    const ctl = new AbortController();
    this.controllers.set(run.id, ctl);
    if (req.signal?.aborted) ctl.abort();
    req.signal?.addEventListener('abort', () => ctl.abort(), { once: true });
    const onEvent: SweepEventListener = (e) => {
      const role = run.apply(e);
      req.onEvent?.(e, run, role);
    };
    const body =
      req.what === 'run'
        ? runSweep(req.config, req.options, ctl.signal, onEvent)
        : collectSweep(req.config, { ...req.options, tailLogs: false }, ctl.signal, onEvent);
    const done = body
      .then(
        (res) => {
          run.state = res.cancelled ? 'cancelled' : res.cases.some((c) => c.state === 'failed') ? 'failed' : 'done';
          return res;
        },
        (err: unknown) => {
          run.state = isCancelled(err) ? 'cancelled' : 'failed';
          run.error = errorMessage(err);
          throw err;
        },
      )
      .finally(() => {
        run.endedAt ??= Date.now();
        run.current = undefined;
        this.controllers.delete(run.id);
      });
    return { run, done };
  }

  /** The one way to cancel: the given run, else the oldest running one. False when nothing runs. */
  cancel(run?: SweepRun): boolean {
    const target = run ?? this.runs.find((r) => r.state === 'running');
    const ctl = target && this.controllers.get(target.id);
    if (!ctl) return false;
    ctl.abort();
    return true;
  }

  /** Forgets finished runs. */
  clear(): void {
    for (let i = this.runs.length - 1; i >= 0; i--) if (this.runs[i]!.state !== 'running') this.runs.splice(i, 1);
  }

  dispose(): void {
    for (const c of this.controllers.values()) c.abort();
  }
}

/** One line about how a run ended, for the editor's notice and the CLI. */
export function sweepOutcome(run: SweepRun, res: SweepResult): string {
  const failed = res.cases.filter((c) => c.state === 'failed');
  if (run.dryRun && !res.cancelled)
    return dryRunSummary(
      res.plan,
      run.files.some((f) => f.kind === 'placeholder'),
    );
  if (res.cancelled) return `sweep ${run.runTag} cancelled — every remote process was stopped and what existed was collected.`;
  if (failed.length)
    return `sweep ${run.runTag} finished with ${failed.length} failed case(s): ${failed.map((c) => `${c.caseName} (${c.reason ?? '?'})`).join('; ')}.`;
  return `sweep ${run.runTag} finished: ${res.cases.length} case(s).`;
}

/** A file picked from the workspace is offered as a sweep config when it has both of these keys. */
export function looksLikeSweepConfig(text: string): boolean {
  return /"cases"\s*:/.test(text) && /"commands"\s*:/.test(text);
}
