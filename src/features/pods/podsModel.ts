// The Pods view's state: the provider (created lazily with the key from SecretStorage), the pods
// it lists, and the filter. Polls only while the view is visible or pods run (the cost guard).
import * as vscode from 'vscode';
import type { PodProvider } from '../../core/pods/provider';
import type { PodInfo } from '../../core/pods/types';
import { matchesMetadata } from '../../core/pods/metadata';
import { errorMessage } from '../../core/text/errorMessage';

export const apiKeySecret = 'airlock.runpod.apiKey';

export class PodsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  pods: PodInfo[] = [];
  error: string | undefined;
  loaded = false;
  hasKey = false;
  filter: Record<string, string | undefined> = {};
  refreshedAt = 0;
  private provider: PodProvider | undefined;
  private providerKey = '';
  private inflight: Promise<void> | undefined;
  /** Pods an action replaced (or removed) and when: a list that started earlier must not undo it. */
  private readonly updated = new Map<string, { at: number; pod: PodInfo | undefined }>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly endpoint: () => string,
    private readonly version: string,
    private readonly api: () => 'rest' | 'graphql' = () => 'rest',
    /** Hears each wait on RunPod (429 Retry-After, 5xx back-off), for the log. */
    private readonly onRetry?: (info: { waitSec: number; attempt: number }) => void,
  ) {}

  /** The key: SecretStorage first; RUNPOD_API_KEY for development and tests (never written anywhere). */
  async apiKey(): Promise<string | undefined> {
    return (await this.secrets.get(apiKeySecret)) || process.env.RUNPOD_API_KEY || undefined;
  }

  /** The provider for the current key and endpoint; undefined without a key. */
  async getProvider(): Promise<PodProvider | undefined> {
    const key = await this.apiKey();
    this.hasKey = !!key;
    if (!key) return (this.provider = undefined);
    const cacheKey = `${key}|${this.endpoint()}|${this.api()}`;
    if (!this.provider || this.providerKey !== cacheKey) {
      // The RunPod clients (openapi-fetch, graphql-request) load on first use, not at activation.
      const { createPodsProvider } = await import('../../core/pods/providerFactory');
      this.provider = createPodsProvider({
        api: this.api(),
        apiKey: key,
        endpoint: this.endpoint() || undefined,
        clientVersion: this.version,
        ...(this.onRetry ? { onRetry: this.onRetry } : {}),
      });
      this.providerKey = cacheKey;
    }
    return this.provider;
  }

  get visiblePods(): PodInfo[] {
    return Object.keys(this.filter).length ? this.pods.filter((p) => matchesMetadata(p.metadata, this.filter)) : this.pods;
  }

  get running(): PodInfo[] {
    return this.pods.filter((p) => p.state === 'running' || p.state === 'starting');
  }

  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async load(): Promise<void> {
    try {
      const provider = await this.getProvider();
      if (!provider) {
        this.pods = [];
        this.error = undefined;
        return;
      }
      const startedAt = Date.now();
      const listed = await provider.list();
      // A stop/resume/terminate that landed while this list was in flight is newer than the list.
      const fresher = [...this.updated].filter(([, u]) => u.at >= startedAt);
      this.updated.clear();
      let pods = listed;
      for (const [id, u] of fresher) {
        pods = pods.filter((p) => p.id !== id);
        if (u.pod) pods.push(u.pod);
      }
      this.pods = pods.sort((a, b) => a.name.localeCompare(b.name));
      this.error = undefined;
      this.refreshedAt = Date.now();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loaded = true;
      this.changed.fire();
    }
  }

  /** Replaces one pod after an action, so the row updates before the next poll. */
  update(pod: PodInfo | undefined, id: string): void {
    if (this.inflight) this.updated.set(id, { at: Date.now(), pod });
    this.pods = pod ? this.pods.map((p) => (p.id === id ? pod : p)) : this.pods.filter((p) => p.id !== id);
    if (pod && !this.pods.some((p) => p.id === id)) this.pods.push(pod);
    this.changed.fire();
  }

  setFilter(f: Record<string, string | undefined>): void {
    this.filter = f;
    this.changed.fire();
  }

  async forgetKey(): Promise<void> {
    this.provider = undefined;
    this.providerKey = '';
    await this.refresh();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
