// When a tree view reloads its data and redraws, without VS Code types so it is unit-tested with
// mock timers: polls every interval only while the view is visible (or while `keepPolling` says
// hidden polling matters, e.g. the pods cost guard), a manual refresh runs at once and restarts the
// interval, redraws are debounced and carry the changed nodes, and the elapsed-time tick runs only
// while the view is visible and some row is running.

export interface RefreshScheduleOptions<N> {
  visible: () => boolean;
  /** Seconds between polls; 0 or less: no polling. Omit for views that only redraw. */
  intervalSec?: () => number;
  /** Reloads the data (a poll or a manual refresh). */
  load?: () => Promise<void>;
  /** Poll even while hidden (default never). */
  keepPolling?: () => boolean;
  /** The rows whose elapsed time changes every second; none: no tick. */
  runningNodes?: () => N[];
  /** Redraws the given nodes (undefined: the whole tree). */
  fire: (node: N | undefined) => void;
  debounceMs?: number;
  tickMs?: number;
}

export class RefreshSchedule<N> {
  private pollTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private drawTimer: NodeJS.Timeout | undefined;
  private readonly dirty = new Set<N | undefined>();
  private lastLoad = 0;
  private disposed = false;

  constructor(private readonly o: RefreshScheduleOptions<N>) {}

  /** Marks nodes (none: the whole tree) for the next debounced redraw. */
  changed(...nodes: N[]): void {
    if (this.disposed) return;
    if (!nodes.length) this.dirty.add(undefined);
    for (const n of nodes) this.dirty.add(n);
    this.drawTimer ??= setTimeout(() => this.draw(), this.o.debounceMs ?? 150);
    this.scheduleTick();
  }

  /** A manual refresh: loads now, redraws now, restarts the interval. */
  async refreshNow(): Promise<void> {
    this.lastLoad = Date.now();
    try {
      await this.o.load?.();
    } finally {
      this.dirty.add(undefined);
      this.draw();
      this.schedule();
    }
  }

  /** Re-reads visibility and the interval (after a visibility or settings change) and re-arms the timers. */
  schedule(): void {
    if (this.disposed) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.scheduleTick();
    if (!this.o.load || !this.o.intervalSec) return;
    if (!this.o.visible() && !this.o.keepPolling?.()) return;
    const intervalMs = this.o.intervalSec() * 1000;
    const dueIn = this.lastLoad === 0 ? 0 : intervalMs <= 0 ? Infinity : Math.max(0, this.lastLoad + intervalMs - Date.now());
    if (dueIn === Infinity) return;
    this.pollTimer = setTimeout(() => void this.refreshNow(), dueIn);
  }

  /** True while the elapsed-time tick is armed (tests, and the reason it exists: never while hidden). */
  get ticking(): boolean {
    return this.tickTimer !== undefined;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.tickTimer);
    clearTimeout(this.drawTimer);
  }

  private scheduleTick(): void {
    const want = this.o.visible() && (this.o.runningNodes?.().length ?? 0) > 0;
    if (want && !this.tickTimer) {
      this.tickTimer = setInterval(() => {
        const running = this.o.runningNodes?.() ?? [];
        if (!this.o.visible() || !running.length) return this.stopTick();
        for (const n of running) this.o.fire(n);
      }, this.o.tickMs ?? 1000);
    } else if (!want) this.stopTick();
  }

  private stopTick(): void {
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
  }

  private draw(): void {
    clearTimeout(this.drawTimer);
    this.drawTimer = undefined;
    if (this.disposed) return;
    const nodes = [...this.dirty];
    this.dirty.clear();
    if (nodes.includes(undefined)) this.o.fire(undefined);
    else for (const n of nodes) this.o.fire(n);
  }
}
