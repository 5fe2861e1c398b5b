import * as vscode from 'vscode';
import type { HostFacts, HostRunner, HostSpec } from '../../core/hosts/types';
import { errorMessage } from '../../core/text/errorMessage';
import type { HostBundleRecord } from '../../core/bundle/records';
import { IdleClock } from '../../core/idle/idleClock';
import { observeHostIdle, type HostIdleStatus } from '../../core/hosts/hostIdle';

/** A problem in a hosts source (e.g. `.airlock/hosts.json:7: hosts[1].port must be …`). */
export interface HostsProblem {
  file: string;
  line: number;
  message: string;
}

/** What the Hosts view needs from the core; injected so the model stays small and testable. */
export interface HostsBackend {
  loadHosts(): Promise<{ hosts: HostSpec[]; problems: HostsProblem[] }>;
  runnerFor(host: HostSpec): HostRunner;
  probe(host: HostSpec, runner: HostRunner, signal: AbortSignal): Promise<HostFacts>;
  tierLabel(host: HostSpec, facts: HostFacts | undefined): string | undefined;
  /** What each host last received from `airlock export` (.airlock/bundles/<host>.json). */
  loadBundles?(): Promise<Map<string, HostBundleRecord>>;
}

interface HostState {
  spec: HostSpec;
  facts?: HostFacts;
  probing: boolean;
}

/**
 * The hosts and what was last learned about them. Probes run in parallel (bounded), each with its
 * own timeout; a change to one host fires only that host.
 */
export class HostsModel implements vscode.Disposable {
  private states = new Map<string, HostState>();
  private problems: HostsProblem[] = [];
  private bundles = new Map<string, HostBundleRecord>();
  private loaded = false;
  private loadError: string | undefined;
  private probeAbort = new AbortController();
  /** Since when each priced host has been idle (the pods' rule, core/hosts/hostIdle). */
  private readonly idleClock = new IdleClock();
  private readonly idleStatus = new Map<string, HostIdleStatus>();
  /** What the cost guard told the user (idle warnings, changed addresses after a stop), newest last: for the log and tests. */
  readonly costNotices: { host: string; kind: 'idle' | 'address'; message: string; at: number }[] = [];
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires the name of the host that changed, or undefined when the list itself changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly backend: HostsBackend) {}

  get isLoaded(): boolean {
    return this.loaded;
  }
  get hosts(): HostState[] {
    return [...this.states.values()];
  }
  get configProblems(): HostsProblem[] {
    return this.problems;
  }
  get error(): string | undefined {
    return this.loadError;
  }
  host(name: string): HostState | undefined {
    return this.states.get(name);
  }
  runner(name: string): HostRunner {
    const state = this.states.get(name);
    if (!state) throw new Error(`No host named "${name}" — refresh Hosts or add it with "Airlock: Add Host…"`);
    return this.backend.runnerFor(state.spec);
  }
  /** The bundle this host received and its last verify, if any. */
  bundle(name: string): HostBundleRecord | undefined {
    return this.bundles.get(name);
  }
  /** Re-reads the bundle records (after an export or a verify) and redraws. */
  async reloadBundles(): Promise<void> {
    this.bundles = (await this.backend.loadBundles?.().catch(() => undefined)) ?? new Map();
    this.changed.fire(undefined);
  }
  /** Price and idle state of a host with a pricePerHour or stopCommand, after its last probe. */
  idle(name: string): HostIdleStatus | undefined {
    return this.idleStatus.get(name);
  }
  /** Starts the host's idle clock again (after Stop Host, or "Keep Running"). */
  resetIdle(name: string): void {
    this.idleClock.reset(name);
    this.idleStatus.delete(name);
    this.changed.fire(name);
  }
  tierLabel(name: string): string | undefined {
    const s = this.states.get(name);
    return s ? this.backend.tierLabel(s.spec, s.facts) : undefined;
  }

  /** Re-reads the host sources (keeping known facts for hosts that stay) without probing. */
  async reload(): Promise<void> {
    try {
      const { hosts, problems } = await this.backend.loadHosts();
      const next = new Map<string, HostState>();
      for (const spec of hosts) {
        const old = this.states.get(spec.name);
        next.set(spec.name, { spec, facts: old?.facts, probing: old?.probing ?? false });
      }
      this.states = next;
      this.problems = problems;
      this.bundles = (await this.backend.loadBundles?.().catch(() => undefined)) ?? new Map();
      this.loadError = undefined;
    } catch (err) {
      this.loadError = errorMessage(err);
    }
    this.loaded = true;
    this.changed.fire(undefined);
  }

  /** Reloads and probes every host (or only `names`); a newer refresh cancels the older probes. */
  async refresh(names?: string[], concurrency = 6): Promise<void> {
    if (!names) await this.reload();
    this.probeAbort.abort();
    const abort = (this.probeAbort = new AbortController());
    const queue = this.hosts.filter((h) => !names || names.includes(h.spec.name));
    for (const s of queue) {
      s.probing = true;
      this.changed.fire(s.spec.name);
    }
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const state = s;
        try {
          state.facts = await this.backend.probe(state.spec, this.backend.runnerFor(state.spec), abort.signal);
        } catch (err) {
          if (abort.signal.aborted) return;
          state.facts = { reachable: false, reason: errorMessage(err), probedAt: Date.now() };
        } finally {
          state.probing = false;
        }
        if (abort.signal.aborted) continue;
        for (const [name, st] of observeHostIdle(this.idleClock, [{ spec: state.spec, facts: state.facts }])) this.idleStatus.set(name, st);
        this.changed.fire(state.spec.name);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  dispose(): void {
    this.probeAbort.abort();
    this.changed.dispose();
  }
}
