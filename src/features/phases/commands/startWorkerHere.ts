import { hostname } from 'node:os';
import { readSettings } from '../../settings';
import { GroupNode, PhaseNode } from '../phaseNodes';
import { startLocalWorker } from '../../../core/phases/workerLaunch';
import { type PhaseCommandDeps, requirePlan, phaseOf } from './phaseCommandDeps';
import { offerFastForward } from '../offerFastForward';

/** Phases: Start Worker Here — `airlock worker` on this machine, log in Live Logs. */
export async function startWorkerHere(deps: PhaseCommandDeps, arg?: PhaseNode | GroupNode | string): Promise<void> {
  const { model } = deps;
  const { folder } = requirePlan(deps);
  const name = readSettings().phasesWorkerName || hostname();
  const phase = phaseOf(arg);
  const w = startLocalWorker({
    cliPath: deps.cliPath,
    cloneDir: folder,
    name,
    planPath: readSettings().phasesPlanPath,
    logs: deps.logs,
    onEvent: deps.onWorkerEvent,
    ...(phase ? { phases: [phase] } : {}),
  });
  model.addWorker(w);
  deps.logs.showLogs(w.streamId);
  // The worker pushed its results from its own worktree: bring the open checkout along.
  void w.exited.then(() => offerFastForward(folder, deps.log));
}
