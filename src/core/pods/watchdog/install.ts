// How the watchdog gets onto a pod: RunPod's create takes the container start command (REST v2
// `args`, GraphQL `dockerArgs`) and environment. The script travels base64-encoded in one variable;
// the start command writes it out, starts it detached, then execs what would have run anyway — the
// user's command, else the RunPod images' /start.sh (Jupyter, sshd), else `sleep infinity`.
// Nothing runs on the laptop; the pod stops itself.
import { shellQuote } from '../../shell/quote';
import { PodError } from '../errors';
import type { WatchdogSpec } from '../types';
import { watchdogScript } from './watchdog.sh';

export const watchdogEnvKey = 'AIRLOCK_WATCHDOG_SH';
export const watchdogPath = '/tmp/airlock-watchdog.sh';

export function validateWatchdog(w: WatchdogSpec): void {
  for (const [k, v] of [
    ['idleStopMinutes', w.idleStopMinutes],
    ['maxHours', w.maxHours],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new PodError('bad-input', `watchdog ${k} must be a number ≥ 0 (0 = off), got ${v}`);
  }
}

/** The variables the script reads (its settings) plus the script itself. */
export function watchdogEnv(w: WatchdogSpec, podName: string): Record<string, string> {
  validateWatchdog(w);
  return {
    [watchdogEnvKey]: Buffer.from(watchdogScript, 'utf8').toString('base64'),
    AIRLOCK_WATCHDOG_IDLE_SEC: String(Math.round((w.idleStopMinutes ?? 0) * 60)),
    AIRLOCK_WATCHDOG_MAX_SEC: String(Math.round((w.maxHours ?? 0) * 3600)),
    AIRLOCK_WATCHDOG_GPU_THRESHOLD: String(w.gpuThresholdPercent ?? 5),
    ...(w.intervalSec ? { AIRLOCK_WATCHDOG_INTERVAL_SEC: String(w.intervalSec) } : {}),
    ...(w.apiBaseUrl ? { AIRLOCK_WATCHDOG_API: w.apiBaseUrl } : {}),
    // Only characters that need no JSON escaping: the script splices the name into a PATCH body.
    AIRLOCK_WATCHDOG_NAME: podName.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 120),
  };
}

/** The container start command that launches the watchdog, then the user's command (or the image's start). */
export function wrapStartCommand(userArgs: string | undefined, _w: WatchdogSpec): string {
  const then = userArgs?.trim() ? `exec bash -c ${shellQuote(userArgs.trim())}` : `if [ -x /start.sh ]; then exec /start.sh; else exec sleep infinity; fi`;
  const script = `echo "$${watchdogEnvKey}" | base64 -d > ${watchdogPath} && (nohup bash ${watchdogPath} &); ${then}`;
  return `bash -c ${shellQuote(script)}`;
}
