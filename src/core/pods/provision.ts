// Create a pod the safe way: try offers in order while RunPod has no capacity, wait until it is
// ready, and TERMINATE it if anything fails or the user cancels after it exists. Every pod costs
// money by the hour: no path out of here may leave one running that the caller does not know of.
import { CancelledError, isCancelled, sleep, throwIfAborted } from '../process/errors';
import { PodError, isPodError } from './errors';
import { encodeAirlockEnv, jupyterPasswordEnvKey, podNameWithPrefix } from './metadata';
import { describeOffer } from './offers';
import { generateCreateId, generateJupyterPassword } from './password';
import type { PodProvider, ProviderCreateRequest } from './provider';
import { waitReady, defaultReadyTimeoutMs, type WaitProgress } from './readiness';
import { formatDuration } from '../text/duration';
import type { CreatedPod, PodInfo, PodOffer, PodSpec } from './types';

export type CreateProgress =
  | { kind: 'trying-offer'; offer: PodOffer; attempt: number; of: number }
  | { kind: 'no-capacity'; offer: PodOffer; message: string }
  | { kind: 'created'; pod: PodInfo; offer: PodOffer }
  | { kind: 'waiting'; wait: WaitProgress }
  | { kind: 'ready'; pod: PodInfo }
  | { kind: 'checking-orphan'; name: string }
  | { kind: 'terminating'; podId: string; reason: string }
  | { kind: 'terminated'; podId: string };

export interface CreatePodOptions {
  /** Offers in preference order (selectOffers gives cheapest first). */
  offers: readonly PodOffer[];
  spec: PodSpec;
  /** How many offers to try when RunPod has no capacity (default 3, as the original broker). */
  maxAttempts?: number;
  /** Wait for readiness (default true). Without waiting, a failure after create cannot be cleaned up here. */
  wait?: boolean;
  readyTimeoutMs?: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: CreateProgress) => void;
  /**
   * After an interrupted create (cancel, network, 5xx) look for the pod RunPod may have made
   * anyway, at these delays (default 0, 3 s, 10 s: the server may finish the create after the
   * client gave up). Stops at the first find.
   */
  orphanSweepDelaysMs?: readonly number[];
}

export const defaultMaxAttempts = 3;
const defaultSweepDelaysMs = [0, 3000, 10_000];
const portPattern = /^\d{1,5}\/(http|tcp)$/;

export async function createPod(provider: PodProvider, o: CreatePodOptions): Promise<CreatedPod> {
  const spec = o.spec;
  if (!spec.image.trim()) throw new PodError('bad-input', 'a pod needs a container image');
  if (!spec.name.trim()) throw new PodError('bad-input', 'a pod needs a name');
  const jupyter = spec.jupyter ?? true;
  const ports = podPorts(spec.ports ?? [], jupyter);
  const jupyterPassword = jupyter ? (spec.jupyterPassword ?? generateJupyterPassword()) : undefined;
  const createId = generateCreateId();
  const env: Record<string, string> = {
    ...(spec.env ?? {}),
    ...(jupyterPassword ? { [jupyterPasswordEnvKey]: jupyterPassword } : {}),
    ...encodeAirlockEnv(spec.metadata ?? {}, createId),
  };
  const candidates = o.offers.slice(0, o.maxAttempts ?? defaultMaxAttempts);
  if (!candidates.length)
    throw new PodError('no-capacity', `${provider.displayName} has no offer matching the filter — widen it (more price, less VRAM, any cloud)`);

  const base = { spec, name: podNameWithPrefix(spec.name), env, ports, startJupyter: jupyter, createId };
  const refusals: string[] = [];
  let created: PodInfo | undefined;
  let offer: PodOffer | undefined;
  for (const [i, candidate] of candidates.entries()) {
    // Cancelled before sending: nothing can exist yet, so no orphan sweep.
    throwIfAborted(o.signal);
    o.onProgress?.({ kind: 'trying-offer', offer: candidate, attempt: i + 1, of: candidates.length });
    try {
      created = await provider.create({ ...base, offer: candidate }, o.signal);
      offer = candidate;
      break;
    } catch (err) {
      if (isPodError(err, 'no-capacity')) {
        refusals.push(err.message);
        o.onProgress?.({ kind: 'no-capacity', offer: candidate, message: err.message });
        continue;
      }
      if (createMayHaveSucceeded(err)) await sweepOrphan(provider, { ...base, offer: candidate }, err, o);
      throw err;
    }
  }
  if (!created || !offer) {
    throw new PodError(
      'no-capacity',
      refusals.length === 1
        ? refusals[0]!
        : `${provider.displayName} had no capacity for the ${candidates.length} offers tried (${candidates.map(describeOffer).join('; ')}) — widen the filter, try the other cloud or try again later`,
    );
  }
  o.onProgress?.({ kind: 'created', pod: created, offer });
  if (o.wait === false) return { pod: created, jupyterPassword };

  try {
    const pod = await waitReady(provider, created.id, {
      timeoutMs: o.readyTimeoutMs ?? defaultReadyTimeoutMs,
      intervalMs: o.pollIntervalMs,
      signal: o.signal,
      onProgress: (wait) => o.onProgress?.({ kind: 'waiting', wait }),
    });
    o.onProgress?.({ kind: 'ready', pod });
    return { pod, jupyterPassword };
  } catch (err) {
    const reason = isCancelled(err) ? 'cancelled' : isPodError(err, 'not-ready') ? 'not ready in time' : 'failed while starting';
    await terminateForCleanup(provider, created.id, reason, o);
    if (isCancelled(err)) throw new CancelledError(`Cancelled — pod ${created.id} was terminated`);
    if (isPodError(err, 'not-ready')) {
      throw new PodError(
        'not-ready',
        `Pod ${created.id} (${describeOffer(offer)}) was not ready after ${formatDuration(o.readyTimeoutMs ?? defaultReadyTimeoutMs)}; Airlock terminated it so it stops billing — try another offer or a longer timeout`,
        { podId: created.id },
      );
    }
    const code = isPodError(err) ? err.code : 'provider';
    throw new PodError(code, `${(err as Error).message} — pod ${created.id} was terminated`, { podId: created.id });
  }
}

/** The user's ports plus Jupyter (8888/http) and SSH (22/tcp, tunnels and terminals need it). */
export function podPorts(requested: readonly string[], jupyter: boolean): string[] {
  const ports = requested.map((p) => (p.includes('/') ? p : `${p}/http`).trim());
  for (const p of ports) if (!portPattern.test(p)) throw new PodError('bad-input', `port "${p}" must look like 8888/http or 22/tcp`);
  if (jupyter && !ports.some((p) => p.startsWith('8888/'))) ports.unshift('8888/http');
  if (!ports.some((p) => p.startsWith('22/'))) ports.push('22/tcp');
  return ports;
}

/** A cancel, a dropped connection or a 5xx mid-create may come after the provider made the pod. */
function createMayHaveSucceeded(err: unknown): boolean {
  return isCancelled(err) || isPodError(err, 'network') || (isPodError(err, 'provider') && (err.details.status ?? 0) >= 500);
}

/** Finds the pod a lost create response made (by its create id) and terminates it. */
async function sweepOrphan(provider: PodProvider, req: ProviderCreateRequest, cause: unknown, o: CreatePodOptions): Promise<void> {
  o.onProgress?.({ kind: 'checking-orphan', name: req.name });
  let waited = 0;
  for (const delay of o.orphanSweepDelaysMs ?? defaultSweepDelaysMs) {
    // Never the caller's signal: the user may have cancelled, the check must still happen.
    await sleep(Math.max(0, delay - waited));
    waited = delay;
    let orphans: PodInfo[];
    try {
      orphans = (await withRetries(() => provider.list(AbortSignal.timeout(30_000)))).filter((p) => p.createId === req.createId);
    } catch (err) {
      throw new PodError(
        'cleanup-failed',
        `Creating "${req.name}" was interrupted (${(cause as Error).message}) and Airlock could not check whether the pod exists: ${(err as Error).message}. Check ${provider.displayName}'s console and terminate "${req.name}" if it is there`,
      );
    }
    for (const pod of orphans) await terminateForCleanup(provider, pod.id, 'its create was interrupted', o);
    if (orphans.length) return;
  }
}

async function terminateForCleanup(provider: PodProvider, podId: string, reason: string, o: CreatePodOptions): Promise<void> {
  o.onProgress?.({ kind: 'terminating', podId, reason });
  try {
    // Never the caller's signal: it may be the very cancellation we are cleaning up after.
    await withRetries(() => provider.terminate(podId, AbortSignal.timeout(60_000)));
  } catch (err) {
    if (!isPodError(err, 'not-found')) {
      throw new PodError(
        'cleanup-failed',
        `Pod ${podId} ${reason}, and terminating it FAILED (${(err as Error).message}) — it may still bill you: run "airlock pods terminate ${podId}" or use ${provider.displayName}'s console`,
        { podId },
      );
    }
  }
  o.onProgress?.({ kind: 'terminated', podId });
}

async function withRetries<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const transient = isPodError(err, 'network') || isPodError(err, 'rate-limited') || (isPodError(err, 'provider') && (err.details.status ?? 0) >= 500);
      if (!transient || i >= attempts) throw err;
      await sleep(1000 * i);
    }
  }
}
