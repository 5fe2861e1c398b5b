import * as vscode from 'vscode';
import { commandIds } from '../ids';
import type { CommandHandlers } from './commandRegistry';
import type { HostsFeature } from './hosts/hostsFeature';
import type { LogsFeature } from './logs/logsFeature';
import type { PhasesFeature } from './phases/phasesFeature';
import type { PodsFeature } from './pods/podsFeature';
import { showPodLogs } from './pods/showPodLogs';
import { connectColab } from './pods/connectColab';
import type { MatrixFeature } from './matrix/matrixFeature';
import type { SweepsFeature } from './sweeps/sweepsFeature';
import type { NotebookFeature } from './notebook/notebookFeature';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  hosts: HostsFeature;
  logs: LogsFeature;
  phases: PhasesFeature;
  pods: PodsFeature;
  matrix: MatrixFeature;
  sweeps: SweepsFeature;
  notebook: NotebookFeature;
}

/** The one table of command handlers; each feature contributes its own small named functions. */
export function buildCommandHandlers(services: Services): CommandHandlers {
  const hosts = services.hosts.commands;
  const phases = services.phases.commands;
  const pods = services.pods.commands;
  return {
    [commandIds.hostsAdd]: () => hosts.add(),
    [commandIds.hostsRefresh]: (arg) => hosts.refresh(arg),
    [commandIds.hostsOpenConfig]: () => hosts.openConfig(),
    [commandIds.hostsOpenTerminal]: (arg) => hosts.openTerminal(arg),
    [commandIds.hostsRunCommand]: (arg, command) => hosts.runCommand(arg, command),
    [commandIds.hostsTailFile]: (arg, path) => hosts.tailFile(arg, path),
    [commandIds.hostsCopySshCommand]: (arg) => hosts.copySshCommand(arg),
    [commandIds.hostsWriteSshConfig]: (arg) => hosts.writeSshConfig(arg),
    [commandIds.logsShow]: (streamId) => services.logs.showLogs(typeof streamId === 'string' ? streamId : undefined),
    [commandIds.jobsShow]: () => services.logs.showJobs(),
    [commandIds.jobsCancel]: () => services.logs.cancelJob(),
    [commandIds.phasesRefresh]: () => phases.refresh(),
    [commandIds.phasesGenerate]: () => phases.generate(),
    [commandIds.phasesStartWorkerHere]: (arg) => phases.startWorkerHere(arg),
    [commandIds.phasesStartWorkerOnHost]: (arg, cloneDir) => phases.startWorkerOnHost(arg, cloneDir),
    [commandIds.phasesStopWorker]: (arg) => phases.stopWorker(arg),
    [commandIds.phasesReleaseStale]: () => phases.releaseStale(),
    [commandIds.phasesRequeueFailed]: (arg) => phases.requeueFailed(arg),
    [commandIds.phasesOpenResult]: (arg) => phases.openResult(arg),
    [commandIds.phasesOpenLog]: (arg) => phases.openLog(arg),
    [commandIds.phasesShowResults]: (arg) => phases.showResults(arg),
    [commandIds.phasesOpenPlan]: () => phases.openPlan(),
    [commandIds.podsSetApiKey]: () => pods.setApiKey(),
    [commandIds.podsRefresh]: () => pods.refresh(),
    [commandIds.podsCreate]: () => pods.create(),
    [commandIds.podsOpenJupyter]: (arg) => pods.openJupyter(arg),
    [commandIds.podsShowLogs]: (arg) => showPodLogs(services.pods.model, services.logs, services.log, arg),
    [commandIds.podsConnectColab]: (arg) => connectColab(services.pods.model, services.hosts, services.pods.tunnels, services.log, arg),
    [commandIds.podsStartTunnel]: (arg) => pods.startTunnel(arg),
    [commandIds.podsStopTunnel]: (arg) => pods.stopTunnel(arg),
    [commandIds.podsOpenTerminal]: (arg) => pods.openTerminal(arg),
    [commandIds.podsCopySshCommand]: (arg) => pods.copySshCommand(arg),
    [commandIds.podsWriteSshConfig]: (arg) => pods.writeSshConfig(arg),
    [commandIds.podsStop]: (arg) => pods.stop(arg),
    [commandIds.podsResume]: (arg) => pods.resume(arg),
    [commandIds.podsTerminate]: (arg) => pods.terminate(arg),
    [commandIds.podsFilter]: () => pods.filter(),
    [commandIds.podsTerminateMatching]: () => pods.terminateMatching(),
    [commandIds.matrixOpen]: (arg) => services.matrix.open(arg),
    [commandIds.sweepsRun]: (arg) => services.sweeps.run(arg),
    [commandIds.sweepsDryRun]: (arg) => services.sweeps.run(arg, { dryRun: true }),
    [commandIds.sweepsCollect]: (arg) => services.sweeps.collect(arg),
    [commandIds.sweepsCancel]: (arg) => services.sweeps.cancel(arg),
    [commandIds.sweepsClear]: () => services.sweeps.clear(),
    [commandIds.notebookRender]: (arg) => services.notebook.render(arg),
    [commandIds.notebookRun]: (arg, server, token) => services.notebook.run(arg, typeof server === 'string' ? server : undefined, typeof token === 'string' ? token : undefined),
    [commandIds.notebookDispatch]: (arg, req) => services.notebook.dispatch(arg, typeof req === 'object' && req ? req : undefined),
    [commandIds.notebookCancelRun]: (arg) => services.notebook.cancelRun(arg),
    [commandIds.notebookRerun]: (arg) => services.notebook.rerun(arg),
    [commandIds.notebookDownloadResults]: (arg) => services.notebook.downloadResults(arg),
    [commandIds.notebookOpenResult]: (arg) => services.notebook.openResult(arg),
    [commandIds.notebookCheckStatus]: (arg) => services.notebook.checkStatus(arg),
    [commandIds.notebookClearRuns]: () => services.notebook.clearRuns(),
    [commandIds.colabSetServiceAccountKey]: (arg) => services.notebook.credentials.setServiceAccountKey(arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.file(arg) : undefined),
    [commandIds.colabSignIn]: (arg) => services.notebook.credentials.signIn(arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.file(arg) : undefined),
    [commandIds.colabSignOut]: () => services.notebook.credentials.signOut(),
    [commandIds.notifySetWebhook]: () => services.notebook.setWebhook(),
  };
}
