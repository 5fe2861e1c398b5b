// The one way a CLI command learns that its controller went away. A closed terminal (SIGHUP), a
// kill (SIGTERM), Ctrl+C (SIGINT) and a reader that stopped reading our stdout (EPIPE, e.g.
// `airlock sweep run … | head`) all abort the same AbortSignal, so every long-running command
// cleans up through the path it already has for cancelling (pod terminated, remote process groups
// killed, claim released) instead of dying with its work left running — and billing.

/** Signals that mean "the controller is gone". SIGHUP is what a closed terminal or SSH session sends. */
export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof stopSignals)[number];

/** Every stop exits 130 ("cancelled"), whatever stopped it: scripts and tests key on one code. */
export const stoppedExitCode = 130;

export interface Lifecycle {
  signal: AbortSignal;
  /** Why the command was stopped, if it was: the signal name or 'EPIPE'. */
  reason(): StopSignal | 'EPIPE' | undefined;
  dispose(): void;
}

export interface LifecycleOptions {
  proc?: NodeJS.Process;
  /** Called on the second stop request: the user insists, cleanup is skipped. */
  forceExit?: (code: number) => void;
}

export function installLifecycle(o: LifecycleOptions = {}): Lifecycle {
  const proc = o.proc ?? process;
  const forceExit = o.forceExit ?? ((code: number) => proc.exit(code));
  const controller = new AbortController();
  let why: StopSignal | 'EPIPE' | undefined;
  let requests = 0;

  const stop = (reason: StopSignal | 'EPIPE', say: boolean) => {
    requests += 1;
    if (requests > 1 && reason !== 'EPIPE') return forceExit(stoppedExitCode);
    if (why) return;
    why = reason;
    // Saying so is best effort: after SIGHUP the terminal may be gone too (EIO is swallowed below).
    if (say) safeWrite(proc.stderr, `\nairlock: ${reason} received, stopping cleanly (again to force)…\n`);
    controller.abort();
  };
  const onSignal = (sig: NodeJS.Signals) => stop(sig as StopSignal, true);
  // A stream whose reader is gone must not crash the process with an unhandled 'error' event.
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'EIO' || err.code === 'ERR_STREAM_DESTROYED') stop('EPIPE', false);
  };
  const onStderrError = () => {
    /* nowhere left to report to; stdout or a signal decides */
  };
  for (const s of stopSignals) proc.on(s, onSignal);
  proc.stdout.on('error', onStdoutError);
  proc.stderr.on('error', onStderrError);
  return {
    signal: controller.signal,
    reason: () => why,
    dispose() {
      for (const s of stopSignals) proc.off(s, onSignal);
      // The listeners on the streams stay: a late write after the command returned must not crash either.
    },
  };
}

function safeWrite(stream: NodeJS.WritableStream, text: string): void {
  try {
    stream.write(text);
  } catch {
    /* the terminal is gone */
  }
}
