// The one table of command handlers: every id in ids.ts maps to its named function in
// features/<f>/commands/<verbNoun>.ts with the arguments CommandArgs declares for it.
import type * as vscode from 'vscode';
import { commandIds } from '../ids';
import type { CommandHandlers } from './commandTypes';
import type { HostsFeature } from './hosts/hostsFeature';
import type { LogsFeature } from './logs/logsFeature';
import type { PhasesFeature } from './phases/phasesFeature';
import type { PodsFeature } from './pods/podsFeature';
import type { MatrixFeature } from './matrix/matrixFeature';
import type { SweepsFeature } from './sweeps/sweepsFeature';
import type { NotebookFeature } from './notebook/notebookFeature';
import { addHost } from './hosts/commands/addHost';
import { copyHostSshCommand } from './hosts/commands/copyHostSshCommand';
import { openHostsConfig } from './hosts/commands/openHostsConfig';
import { openHostTerminal } from './hosts/commands/openHostTerminal';
import { refreshHosts } from './hosts/commands/refreshHosts';
import { runHostCommand } from './hosts/commands/runHostCommand';
import { tailHostFile } from './hosts/commands/tailHostFile';
import { writeHostSshConfig } from './hosts/commands/writeHostSshConfig';
import { stopHost } from './hosts/commands/stopHost';
import { exportBundleToHost } from './protocol/commands/exportBundleToHost';
import { importRun } from './protocol/commands/importRun';
import { showDrift } from './protocol/commands/showDrift';
import { startCheckpointSync } from './protocol/commands/startCheckpointSync';
import { stopCheckpointSync } from './protocol/commands/stopCheckpointSync';
import { resumeFromLatestCheckpoint } from './protocol/commands/resumeFromLatestCheckpoint';
import { fetchDataToHost } from './protocol/commands/fetchDataToHost';
import { setHfToken } from './protocol/commands/setHfToken';
import type { SyncCommandDeps } from './protocol/syncCommandDeps';
import { cancelJob } from './logs/commands/cancelJob';
import { showJobs } from './logs/commands/showJobs';
import { showLogs } from './logs/commands/showLogs';
import { generatePhases } from './phases/commands/generatePhases';
import { openEntryLog } from './phases/commands/openEntryLog';
import { openEntryResult } from './phases/commands/openEntryResult';
import { openPhasesPlan } from './phases/commands/openPhasesPlan';
import { refreshPhases } from './phases/commands/refreshPhases';
import { releaseStale } from './phases/commands/releaseStale';
import { requeueFailedEntries } from './phases/commands/requeueFailedEntries';
import { showPhaseResults } from './phases/commands/showPhaseResults';
import { startWorkerHere } from './phases/commands/startWorkerHere';
import { startWorkerOnHost } from './phases/commands/startWorkerOnHost';
import { stopWorker } from './phases/commands/stopWorker';
import { submitWorkersToSlurm } from './phases/commands/submitWorkersToSlurm';
import { controlSlurmJob } from './slurm/commands/controlSlurmJob';
import { refreshSlurm } from './slurm/commands/refreshSlurm';
import { openSlurmJobOutput, tailSlurmJobOutput } from './slurm/commands/slurmJobOutput';
import { startSlurmJupyter } from './slurm/commands/startSlurmJupyter';
import { openSlurmJupyter } from './slurm/commands/openSlurmJupyter';
import { stopSlurmJupyter } from './slurm/commands/stopSlurmJupyter';
import { readSettings } from './settings';
import { connectColab } from './pods/commands/connectColab';
import { copyPodSshCommand } from './pods/commands/copyPodSshCommand';
import { createPod } from './pods/commands/createPod';
import { filterPods } from './pods/commands/filterPods';
import { openJupyter } from './pods/commands/openJupyter';
import { openPodTerminal } from './pods/commands/openPodTerminal';
import { refreshPods } from './pods/commands/refreshPods';
import { resumePod } from './pods/commands/resumePod';
import { setApiKey } from './pods/commands/setApiKey';
import { showPodLogs } from './pods/commands/showPodLogs';
import { startTunnel } from './pods/commands/startTunnel';
import { stopPod } from './pods/commands/stopPod';
import { stopTunnel } from './pods/commands/stopTunnel';
import { terminateMatching } from './pods/commands/terminateMatching';
import { terminatePod } from './pods/commands/terminatePod';
import { writePodSshConfig } from './pods/commands/writePodSshConfig';
import { openMatrix } from './matrix/commands/openMatrix';
import { cancelSweep } from './sweeps/commands/cancelSweep';
import { clearSweeps } from './sweeps/commands/clearSweeps';
import { collectSweep } from './sweeps/commands/collectSweep';
import { runSweep } from './sweeps/commands/runSweep';
import { cancelNotebookRun } from './notebook/commands/cancelNotebookRun';
import { checkRunStatus } from './notebook/commands/checkRunStatus';
import { clearNotebookRuns } from './notebook/commands/clearNotebookRuns';
import { dispatchToTarget } from './notebook/commands/dispatchToTarget';
import { downloadRunResults } from './notebook/commands/downloadRunResults';
import { openRunResult } from './notebook/commands/openRunResult';
import { renderTemplate } from './notebook/commands/renderTemplate';
import { rerunNotebook } from './notebook/commands/rerunNotebook';
import { runOnJupyter } from './notebook/commands/runOnJupyter';
import { setServiceAccountKey } from './notebook/commands/setServiceAccountKey';
import { setWebhook } from './notebook/commands/setWebhook';
import { signInGoogle } from './notebook/commands/signInGoogle';
import { signOutGoogle } from './notebook/commands/signOutGoogle';

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

export function buildCommandHandlers(s: Services): CommandHandlers {
  const hosts = s.hosts.commandDeps;
  const phases = s.phases.commandDeps;
  const pods = s.pods.commandDeps;
  const nb = s.notebook.commandDeps;
  const sync: SyncCommandDeps = {
    hosts,
    syncs: s.hosts.syncs,
    cliPath: s.phases.commandDeps.cliPath,
    logs: s.logs,
    drive: s.notebook.credentials,
    secrets: s.context.secrets,
  };
  const slurm = { hosts: s.hosts.model, clusters: s.hosts.clusters, runLogged: hosts.runLogged };
  const slurmJupyter = { ...slurm, jupyter: s.hosts.slurmJupyter, setup: () => readSettings().slurmJupyterSetup };
  return {
    [commandIds.hostsAdd]: () => addHost(hosts),
    [commandIds.hostsRefresh]: (host) => refreshHosts(hosts, host),
    [commandIds.hostsOpenConfig]: () => openHostsConfig(hosts),
    [commandIds.hostsOpenTerminal]: (host) => openHostTerminal(hosts, host),
    [commandIds.hostsRunCommand]: (host, command) => runHostCommand(hosts, host, command),
    [commandIds.hostsTailFile]: (host, path) => tailHostFile(hosts, host, path),
    [commandIds.hostsCopySshCommand]: (host) => copyHostSshCommand(hosts, host),
    [commandIds.hostsWriteSshConfig]: (host) => writeHostSshConfig(hosts, host),
    [commandIds.hostsStop]: (host, opts) => stopHost(hosts, host, opts),
    [commandIds.protocolExportBundle]: (target, dir) => exportBundleToHost({ hosts, pods }, target, dir),
    [commandIds.protocolShowDrift]: (target) => showDrift({ hosts, pods }, target),
    [commandIds.protocolImportRun]: (from, dir) => importRun({ hosts, phases, pods, notebook: nb, sweepRuns: () => s.sweeps.runs }, from, dir),
    [commandIds.protocolStartSync]: (host, dir, config) => startCheckpointSync(sync, host, dir, config),
    [commandIds.protocolStopSync]: (target, dir) => stopCheckpointSync(sync, target, dir),
    [commandIds.protocolResumeLatest]: (target, out) => resumeFromLatestCheckpoint(sync, target, out),
    [commandIds.protocolFetchData]: (host, source, dest) => fetchDataToHost(sync, host, source, dest),
    [commandIds.protocolSetHfToken]: (token) => setHfToken(sync, token),
    [commandIds.logsShow]: (streamId) => showLogs(s.logs, streamId),
    [commandIds.jobsShow]: () => showJobs(s.logs),
    [commandIds.jobsCancel]: () => cancelJob(s.logs),
    [commandIds.phasesRefresh]: () => refreshPhases(phases),
    [commandIds.phasesGenerate]: () => generatePhases(phases),
    [commandIds.phasesStartWorkerHere]: (phase) => startWorkerHere(phases, phase),
    [commandIds.phasesStartWorkerOnHost]: (host, cloneDir) => startWorkerOnHost(phases, host, cloneDir),
    [commandIds.phasesStopWorker]: (worker) => stopWorker(phases, worker),
    [commandIds.phasesReleaseStale]: () => releaseStale(phases),
    [commandIds.phasesRequeueFailed]: (phase) => requeueFailedEntries(phases, phase),
    [commandIds.phasesOpenResult]: (entry) => openEntryResult(phases, entry),
    [commandIds.phasesOpenLog]: (entry) => openEntryLog(phases, entry),
    [commandIds.phasesShowResults]: (phase) => showPhaseResults(phases, phase),
    [commandIds.phasesOpenPlan]: () => openPhasesPlan(phases),
    [commandIds.phasesSubmitToSlurm]: (cluster) => submitWorkersToSlurm(phases, cluster),
    [commandIds.slurmRefresh]: (cluster) => refreshSlurm(slurm, cluster),
    [commandIds.slurmCancelJob]: (job) => controlSlurmJob(slurm, 'cancel', job),
    [commandIds.slurmHoldJob]: (job) => controlSlurmJob(slurm, 'hold', job),
    [commandIds.slurmReleaseJob]: (job) => controlSlurmJob(slurm, 'release', job),
    [commandIds.slurmRequeueJob]: (job) => controlSlurmJob(slurm, 'requeue', job),
    [commandIds.slurmOpenOutput]: (job) => openSlurmJobOutput(slurm, job),
    [commandIds.slurmTailOutput]: (job) => tailSlurmJobOutput(slurm, job),
    [commandIds.slurmStartJupyter]: (cluster, options) => startSlurmJupyter(slurmJupyter, cluster, options),
    [commandIds.slurmOpenJupyter]: (server) => openSlurmJupyter(slurmJupyter, server),
    [commandIds.slurmStopJupyter]: (server) => stopSlurmJupyter(slurmJupyter, server),
    [commandIds.podsSetApiKey]: () => setApiKey(pods),
    [commandIds.podsRefresh]: () => refreshPods(pods),
    [commandIds.podsCreate]: () => createPod(pods),
    [commandIds.podsOpenJupyter]: (pod) => openJupyter(pods, pod),
    [commandIds.podsStartTunnel]: (pod) => startTunnel(pods, pod),
    [commandIds.podsStopTunnel]: (pod) => stopTunnel(pods, pod),
    [commandIds.podsOpenTerminal]: (pod) => openPodTerminal(pods, pod),
    [commandIds.podsCopySshCommand]: (pod) => copyPodSshCommand(pods, pod),
    [commandIds.podsWriteSshConfig]: (pod) => writePodSshConfig(pods, pod),
    [commandIds.podsStop]: (pod) => stopPod(pods, pod),
    [commandIds.podsResume]: (pod) => resumePod(pods, pod),
    [commandIds.podsTerminate]: (pod) => terminatePod(pods, pod),
    [commandIds.podsFilter]: () => filterPods(pods),
    [commandIds.podsTerminateMatching]: () => terminateMatching(pods),
    [commandIds.podsShowLogs]: (pod) => showPodLogs(pods, pod),
    [commandIds.podsConnectColab]: (pod) => connectColab(pods, pod),
    [commandIds.matrixOpen]: (file) => openMatrix(s.matrix, file),
    [commandIds.sweepsRun]: (config) => runSweep(s.sweeps, config),
    [commandIds.sweepsDryRun]: (config) => runSweep(s.sweeps, config, { dryRun: true }),
    [commandIds.sweepsCollect]: (config) => collectSweep(s.sweeps, config),
    [commandIds.sweepsCancel]: (run) => cancelSweep(s.sweeps, run),
    [commandIds.sweepsClear]: () => clearSweeps(s.sweeps),
    [commandIds.notebookRender]: (template) => renderTemplate(template),
    [commandIds.notebookRun]: (notebook, server, token) => runOnJupyter(nb, notebook, server, token),
    [commandIds.notebookDispatch]: (notebook, request) => dispatchToTarget(nb, notebook, request),
    [commandIds.notebookCancelRun]: (run) => cancelNotebookRun(nb, run),
    [commandIds.notebookRerun]: (run) => rerunNotebook(nb, run),
    [commandIds.notebookDownloadResults]: (run) => downloadRunResults(nb, run),
    [commandIds.notebookOpenResult]: (file) => openRunResult(nb, file),
    [commandIds.notebookCheckStatus]: (run) => checkRunStatus(nb, run),
    [commandIds.notebookClearRuns]: () => clearNotebookRuns(nb),
    [commandIds.colabSetServiceAccountKey]: (file) => setServiceAccountKey(nb, file),
    [commandIds.colabSignIn]: (file) => signInGoogle(nb, file),
    [commandIds.colabSignOut]: () => signOutGoogle(nb),
    [commandIds.notifySetWebhook]: () => setWebhook(nb),
  };
}
