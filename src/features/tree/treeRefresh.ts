// The one refresh mechanism of every Airlock tree (hosts, phases, pods, sweeps, notebooks): it owns
// the tree's change event, polls on the view's interval only while the view is visible, debounces
// redraws and passes changed nodes through, refreshes at once on a manual refresh, and ticks
// elapsed times of running rows only while the view is shown. The timing lives in core's
// RefreshSchedule (unit-tested); this wraps it with VS Code's event and view visibility.
import * as vscode from 'vscode';
import { RefreshSchedule, type RefreshScheduleOptions } from '../../core/refresh/refreshSchedule';

export type TreeRefreshOptions<N> = Omit<RefreshScheduleOptions<N>, 'visible' | 'fire'>;

export class TreeRefresh<N> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<N | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly schedule: RefreshSchedule<N>;
  private view: vscode.TreeView<N> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(opts: TreeRefreshOptions<N> = {}) {
    this.schedule = new RefreshSchedule({ ...opts, visible: () => !!this.view?.visible, fire: (n) => this.emitter.fire(n) });
  }

  /** Starts following the view's visibility (the view needs this object's event first, hence not in the constructor). */
  attach(view: vscode.TreeView<N>): void {
    this.view = view;
    this.subscriptions.push(view.onDidChangeVisibility(() => this.schedule.schedule()));
    this.schedule.schedule();
  }

  /** Redraws these nodes (none: the whole tree), debounced. */
  changed(...nodes: N[]): void {
    this.schedule.changed(...nodes);
  }

  /** Manual refresh: reload and redraw now. */
  refreshNow(): Promise<void> {
    return this.schedule.refreshNow();
  }

  /** After a settings change or when hidden polling starts to matter (a pod started). */
  reschedule(): void {
    this.schedule.schedule();
  }

  get ticking(): boolean {
    return this.schedule.ticking;
  }

  dispose(): void {
    this.schedule.dispose();
    for (const d of this.subscriptions) d.dispose();
    this.emitter.dispose();
  }
}
