// Switches tests flip to make the fake fail the way RunPod fails. The same object serves the
// in-process API (`fake.control.rateLimit(1, 1)`) and POST /__control {"action": "rateLimit", ...}.
import type { Cloud, FakeRunpodState, LifecycleOptions } from './state';
import { runpodError, supplyConstraintMessage } from './state';

export interface InjectedFailure {
  /** Root field to fail (`podFindAndDeployOnDemand`, `pod`, …); any field when omitted. */
  field?: string;
  code: 'RUNPOD' | 'SUPPLY_CONSTRAINT' | 'INTERNAL_SERVER_ERROR';
  message?: string;
  /** How many times (default 1). */
  count?: number;
}

export class FakeRunpodControl {
  /** Requests left to answer with 429. */
  rateLimitLeft = 0;
  retryAfterSec = 1;
  /** As a real rate limiter: until then (epoch ms) every request is refused again with 429. */
  limitedUntil = 0;
  /** Requests that came back before their Retry-After had passed (a client that does not wait). */
  earlyRequests = 0;
  /** Requests left to answer with this HTTP status (e.g. 502). */
  httpFailure: { status: number; left: number } | undefined;
  readonly failures: InjectedFailure[] = [];
  /** Root field → ms to wait AFTER the field ran (the work is done; the answer is late). */
  readonly latencyMs = new Map<string, number>();
  /** Root field → ms to wait BEFORE the field runs (the work happens late, even if the client left). */
  readonly delayMs = new Map<string, number>();
  apiKey: string;

  constructor(
    readonly state: FakeRunpodState,
    apiKey: string,
  ) {
    this.apiKey = apiKey;
  }

  /** GPUs free for a type in a cloud; `listed` makes the price listing claim a different (stale) number. */
  setStock(gpuTypeId: string, cloud: Cloud, count: number, listed?: number): void {
    this.state.setStock(gpuTypeId, cloud, count, listed);
  }

  setLifecycle(o: LifecycleOptions): void {
    Object.assign(this.state.lifecycle, o);
  }

  /** New pods (and resumed ones) never get a runtime. */
  setNeverReady(on: boolean): void {
    this.state.lifecycle.neverReady = on;
  }

  /** Per-GPU utilisation in percent for one pod, or every pod with '*' (also the default for new pods). */
  setGpuUtilization(podId: string, percent: number | number[]): void {
    const pods = podId === '*' ? [...this.state.pods.values()] : [this.state.mustGet(podId)];
    if (podId === '*' && typeof percent === 'number') this.state.defaultGpuUtil = percent;
    for (const p of pods) p.gpuUtil = p.gpuUtil.map((_, i) => (Array.isArray(percent) ? (percent[i] ?? 0) : percent));
  }

  /** Starts a pod's container now, whatever the lifecycle settings. */
  startPod(podId: string): void {
    const p = this.state.mustGet(podId);
    p.neverReady = false;
    this.state.start(p);
  }

  rateLimit(count: number, retryAfterSec = 1): void {
    this.rateLimitLeft = count;
    this.retryAfterSec = retryAfterSec;
    this.limitedUntil = 0;
    this.earlyRequests = 0;
  }

  failHttp(status: number, count = 1): void {
    this.httpFailure = { status, left: count };
  }

  failNext(f: InjectedFailure): void {
    this.failures.push({ count: 1, ...f });
  }

  /** `after`: the field runs at once and its answer is late; `before`: the field itself runs late. */
  setLatency(field: string, ms: number, when: 'before' | 'after' = 'after'): void {
    (when === 'before' ? this.delayMs : this.latencyMs).set(field, ms);
  }

  /** Pods that would bill: every pod still present (stopped pods keep their volume). */
  livePods(): Array<{ id: string; name: string; desiredStatus: string; running: boolean }> {
    return [...this.state.pods.values()].map((p) => ({ id: p.id, name: p.name, desiredStatus: p.desiredStatus, running: p.startedAt !== undefined }));
  }

  /** Called by the resolvers before each root field; throws an injected failure. */
  takeFailure(field: string): void {
    const i = this.failures.findIndex((f) => !f.field || f.field === field);
    if (i < 0) return;
    const f = this.failures[i]!;
    f.count = (f.count ?? 1) - 1;
    if (f.count <= 0) this.failures.splice(i, 1);
    const message =
      f.message ?? (f.code === 'SUPPLY_CONSTRAINT' ? supplyConstraintMessage : 'Something went wrong. Please try again later or contact support.');
    throw runpodError(message, f.code);
  }

  /** Runs a JSON control action from POST /__control. */
  /** The account's registered SSH public keys (none: a pod gets no SSH access). */
  setSshKeys(keys: string[]): void {
    this.state.sshKeys = [...keys];
  }

  apply(body: { action?: string; [k: string]: unknown }): unknown {
    const a = body as Record<string, never>;
    switch (body.action) {
      case 'setStock':
        return this.setStock(a.gpuTypeId, a.cloud, a.count, a.listed);
      case 'setLifecycle':
        return this.setLifecycle(a.lifecycle);
      case 'setNeverReady':
        return this.setNeverReady(a.on);
      case 'setGpuUtilization':
        return this.setGpuUtilization(a.podId, a.percent);
      case 'startPod':
        return this.startPod(a.podId);
      case 'rateLimit':
        return this.rateLimit(a.count, a.retryAfterSec);
      case 'failHttp':
        return this.failHttp(a.status, a.count);
      case 'failNext':
        return this.failNext(a.failure);
      case 'setLatency':
        return this.setLatency(a.field, a.ms, a.when);
      case 'livePods':
        return this.livePods();
      case 'setSshKeys':
        return this.setSshKeys(a.keys);
      default:
        throw new Error(`unknown control action "${String(body.action)}"`);
    }
  }
}
