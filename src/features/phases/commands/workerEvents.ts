// What the editor does with a typed event of a phase worker it started: re-read the queue when the
// event changed it (core decides which: changesQueue), else just redraw the worker's line.
import { changesQueue } from '../../../core/phases/workerEvents';
import type { WorkerEvent } from '../../../core/phases/workerTypes';
import type { PhasesModel } from '../phasesModel';
import type { WorkerHandle } from '../../../core/phases/workerLaunch';

export function workerEventHandler(model: PhasesModel): (w: WorkerHandle, e: WorkerEvent) => void {
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void model.refresh(false), 400);
  };
  return (_w, e) => {
    if (e.type === 'output') return;
    // The worker's fetches update origin/<branch> in this very repository: re-read without a fetch.
    if (changesQueue(e)) refreshSoon();
    else model.fire();
  };
}
