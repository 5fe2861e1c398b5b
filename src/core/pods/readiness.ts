import { formatDuration } from '../text/duration';
import { sleep, throwIfAborted } from '../process/errors';
import { portReady } from './endpoints';
import { PodError, isPodError } from './errors';
import type { PodProvider } from './provider';
import type { PodInfo } from './types';

export interface WaitProgress {
  podId: string;
  elapsedMs: number;
  providerStatus: string;
  message: string;
}

export interface WaitReadyOptions {
  /** Give up after this long (default 10 min: large images take minutes to pull). */
  timeoutMs?: number;
  /** Poll this often (default 5 s; RunPod's API is rate limited). */
  intervalMs?: number;
  /** Ports that must be mapped before the pod counts as ready (default: its tcp ports, i.e. SSH). */
  requiredPorts?: string[];
  signal?: AbortSignal;
  onProgress?: (p: WaitProgress) => void;
}

export const defaultReadyTimeoutMs = 10 * 60_000;

/**
 * Polls until the container runs and its ports are mapped. Does NOT terminate on failure:
 * provision.ts owns that decision (a pod being resumed by the user must survive a timeout).
 */
export async function waitReady(provider: PodProvider, podId: string, o: WaitReadyOptions = {}): Promise<PodInfo> {
  const timeoutMs = o.timeoutMs ?? defaultReadyTimeoutMs;
  const intervalMs = o.intervalMs ?? 5000;
  const started = Date.now();
  let lastStatus = 'unknown';
  for (;;) {
    throwIfAborted(o.signal);
    let pod: PodInfo | undefined;
    let answered = false;
    try {
      pod = await provider.get(podId, o.signal);
      answered = true;
    } catch (err) {
      // A dropped connection or a 429 mid-wait is not the pod's fault: keep polling until the deadline.
      if (!isPodError(err, 'network') && !isPodError(err, 'rate-limited')) throw err;
    }
    if (answered && !pod) throw new PodError('not-found', `Pod ${podId} disappeared while starting (terminated elsewhere?)`, { podId });
    const elapsedMs = Date.now() - started;
    if (pod) {
      lastStatus = pod.providerStatus;
      if (pod.state === 'terminated' || pod.state === 'error' || pod.state === 'stopped') {
        throw new PodError('provider', `Pod ${podId} ${pod.state === 'stopped' ? 'stopped' : 'failed'} while starting (status ${pod.providerStatus})`, {
          podId,
        });
      }
      if (pod.state === 'running') {
        const required = o.requiredPorts ?? pod.requestedPorts.filter((p) => p.endsWith('/tcp'));
        const missing = required.filter((p) => !portReady(pod!, p));
        if (!missing.length) return pod;
        o.onProgress?.({ podId, elapsedMs, providerStatus: pod.providerStatus, message: `container running, waiting for port ${missing.join(', ')}` });
      } else {
        o.onProgress?.({ podId, elapsedMs, providerStatus: pod.providerStatus, message: 'waiting for the container to start' });
      }
    }
    if (elapsedMs >= timeoutMs) {
      throw new PodError('not-ready', `Pod ${podId} was not ready after ${formatDuration(timeoutMs)} (last status ${lastStatus})`, { podId });
    }
    await sleep(Math.min(intervalMs, Math.max(0, timeoutMs - elapsedMs)), o.signal);
  }
}
