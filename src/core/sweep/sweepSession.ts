// One run's plumbing: the runner per host, the transcript (printed exactly like the originals), the
// dry-run switch, sleeps that cancel, and remote commands with their failures turned into reasons.
import { CancelledError, isCancelled, sleep } from '../process/errors';
import type { ExecResult } from '../process/exec';
import type { HostRunner } from '../hosts/types';
import { shlexJoin } from './shlex';
import { sshArgv, type RoleHost } from './roleHosts';
import type { CaseRef, SweepEvent, SweepEventListener } from './sweepEvents';
import type { SweepPlan } from './sweepPlan';
import { secText } from './sweepSchedule';

/** A step of a case that failed; `message` is the reason shown on the case. */
export class SweepStepError extends Error {
  override readonly name = 'SweepStepError';
}

/**
 * Resolves like `p`, or rejects after `ms`: a host that stops answering mid-command (a half-open
 * connection, a kill that never returns) must not hang the sweep with servers running elsewhere.
 */
export function bounded<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new SweepStepError(message)), ms)));
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

type Payload<T extends SweepEvent['type']> = Omit<Extract<SweepEvent, { type: T }>, 'type' | 'at'>;

export class SweepSession {
  /** Set once the user cancelled; later steps (stop, collect) still run, without the signal. */
  cancelled = false;
  private readonly closingTails: Promise<void>[] = [];

  constructor(
    readonly plan: SweepPlan,
    readonly dryRun: boolean,
    private readonly runners: (host: RoleHost) => HostRunner,
    readonly signal: AbortSignal,
    private readonly listener: SweepEventListener,
    readonly tailLogs: boolean,
  ) {
    signal.addEventListener('abort', () => (this.cancelled = true), { once: true });
    if (signal.aborted) this.cancelled = true;
  }

  emit<T extends SweepEvent['type']>(type: T, payload: Payload<T>): void {
    try {
      this.listener({ type, at: Date.now(), ...payload } as unknown as SweepEvent);
    } catch {
      /* a listener's bug must not stop a sweep that has servers running */
    }
  }

  get prefix(): string {
    return this.plan.style === 'queue' ? '[cluster-launch]' : '[sweep]';
  }

  warn(line: string): void {
    this.emit('output', { line, warning: true });
  }

  print(line: string): void {
    this.emit('output', { line });
  }

  runner(host: RoleHost): HostRunner {
    return this.runners(host);
  }

  /** `_sleep`: nothing for ≤ 0, a note in dry-run, otherwise a sleep that cancel interrupts. */
  async sleep(sec: number, prefix = this.prefix): Promise<void> {
    if (sec <= 0) return;
    if (this.dryRun) return this.print(`${prefix} dry-run skip sleep ${secText(sec)}s`);
    if (this.cancelled) throw new CancelledError();
    await sleep(sec * 1000, this.signal);
  }

  /**
   * Runs `remote` on the role's host, printing it as the original did. Connection problems become a
   * SweepStepError naming the host; a non-zero exit is returned, not thrown. `cancellable` commands
   * get the user's signal (the runner then kills their remote process group).
   */
  async exec(
    role: string,
    host: RoleHost,
    remote: string,
    o: { timeoutSec?: number; cancellable?: boolean; onStdout?: (l: string) => void } = {},
  ): Promise<ExecResult> {
    this.print(this.plan.style === 'queue' ? `${this.prefix} ${role}: ${remote}` : `${this.prefix} $ ${shlexJoin(sshArgv(host, remote))}`);
    if (this.dryRun) return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false };
    if (o.cancellable && this.cancelled) throw new CancelledError();
    try {
      const run = this.runner(host).exec(remote, {
        signal: o.cancellable ? this.signal : undefined,
        timeoutMs: o.timeoutSec ? o.timeoutSec * 1000 : undefined,
        onStdout: o.onStdout,
      });
      // The runner's own timeout kills the command; this outer bound only catches a host gone silent.
      return await (o.timeoutSec ? bounded(run, (o.timeoutSec + 30) * 1000, `${role} host ${host.host} stopped answering`) : run);
    } catch (err) {
      if (isCancelled(err) || err instanceof SweepStepError) throw err;
      throw new SweepStepError(`${role} host ${host.host} is unreachable: ${(err as Error).message}`);
    }
  }

  /** Prints a command's stdout the way the original did (stripped, when not empty). */
  echo(result: ExecResult): void {
    const text = result.stdout.trim();
    if (text) for (const line of text.split('\n')) this.print(line);
  }

  /** Lets a tail finish in the background (stopping the next role need not wait for it). */
  closeTail(stop: () => Promise<void>): void {
    this.closingTails.push(stop());
  }

  /** Waits for every tail being closed, so a case's log events all arrive before it is collected. */
  async drainTails(): Promise<void> {
    // Tails are best effort (the logs are collected anyway): never wait long for one.
    await bounded(Promise.all(this.closingTails.splice(0)), 10_000, 'log tail did not stop').catch(() => undefined);
  }

  /**
   * Streams a remote log into `log` events while a role runs (`tail -F` survives the file not
   * existing yet). Returns a stop function that lets the last lines arrive, then kills the tail.
   */
  tail(ref: CaseRef, role: string, host: RoleHost, log: string): () => Promise<void> {
    if (this.dryRun || !this.tailLogs) return async () => undefined;
    const ac = new AbortController();
    const startMark = '__AIRLOCK_TAIL__';
    let received = 0;
    let lines = 0;
    let lastAt = Date.now();
    let ended = false;
    const done = this.runner(host)
      // -s 0.2: where inotify is unavailable GNU tail polls once a second; BSD tail has no -s (fallback).
      .exec(`echo ${startMark}; tail -n +1 -F -s 0.2 ${shlexJoin([log])} 2>/dev/null || exec tail -n +1 -F ${shlexJoin([log])} 2>/dev/null`, {
        signal: ac.signal,
        onStdout: (line) => {
          if (!lines++ && line === startMark) return;
          received += Buffer.byteLength(line) + 1;
          lastAt = Date.now();
          this.emit('log', { ...ref, role, host: host.host, line });
        },
      })
      .catch(() => undefined)
      .finally(() => (ended = true));
    return async () => {
      // A short role can finish before its tail has even started (or caught up, on a busy host):
      // wait until the tail has passed on as many bytes as the log holds (bounded), so the editor
      // gets the whole log. Lines arrive without their \r, so a quiet tail within one byte per
      // line of the size is done too.
      const size =
        Number(
          (
            await this.runner(host)
              .exec(`wc -c < ${shlexJoin([log])} 2>/dev/null || echo 0`, { timeoutMs: 5000 })
              .catch(() => undefined)
          )?.stdout.trim(),
        ) || 0;
      const caughtUp = () => received >= size || (Date.now() - lastAt > 500 && size - received <= lines);
      const t0 = Date.now();
      while (!ended && Date.now() - t0 < 5000 && !caughtUp()) await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      await done;
    };
  }
}
