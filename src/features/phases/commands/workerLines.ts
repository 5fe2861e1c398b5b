// What the editor does with a line a phase worker prints (the phases engineer replaces this with
// typed worker events; kept verbatim from the old commands table meanwhile).
import type { PhasesModel } from '../phasesModel';
import type { WorkerHandle } from '../workers';

export function workerLineHandler(model: PhasesModel): (w: WorkerHandle, line: string) => void {
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void model.refresh(false), 400);
  };
  const onWorkerLine = (w: WorkerHandle, line: string) => {
    if (!line.startsWith('[worker]')) return;
    w.lastLine = line.replace(/^\[worker\] /, '').slice(0, 80);
    // The worker's fetches update origin/<branch> in this very repository: re-read without a fetch.
    if (/claimed|pushed|released|failed/.test(line)) refreshSoon();
    else model.fire();
  };
  return onWorkerLine;
}
