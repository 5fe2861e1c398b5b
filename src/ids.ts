// Every command, view, setting and context-key id in one typed place. A unit test checks that
// package.json declares exactly these and that the command registry registers exactly these.

export const viewContainerId = 'airlock';

export const viewIds = {
  phases: 'airlock.phases',
  hosts: 'airlock.hosts',
  pods: 'airlock.pods',
  sweeps: 'airlock.sweeps',
} as const;

export const commandIds = {
  hostsAdd: 'airlock.hosts.add',
  hostsRefresh: 'airlock.hosts.refresh',
  hostsOpenConfig: 'airlock.hosts.openConfig',
  hostsOpenTerminal: 'airlock.hosts.openTerminal',
  hostsRunCommand: 'airlock.hosts.runCommand',
  hostsTailFile: 'airlock.hosts.tailFile',
  hostsCopySshCommand: 'airlock.hosts.copySshCommand',
  hostsWriteSshConfig: 'airlock.hosts.writeSshConfig',
  logsShow: 'airlock.logs.show',
  jobsShow: 'airlock.jobs.show',
  jobsCancel: 'airlock.jobs.cancel',
  phasesRefresh: 'airlock.phases.refresh',
  phasesGenerate: 'airlock.phases.generate',
  phasesStartWorkerHere: 'airlock.phases.startWorkerHere',
  phasesStartWorkerOnHost: 'airlock.phases.startWorkerOnHost',
  phasesStopWorker: 'airlock.phases.stopWorker',
  phasesReleaseStale: 'airlock.phases.releaseStale',
  phasesRequeueFailed: 'airlock.phases.requeueFailed',
  phasesOpenResult: 'airlock.phases.openResult',
  phasesOpenLog: 'airlock.phases.openLog',
  phasesShowResults: 'airlock.phases.showResults',
  phasesOpenPlan: 'airlock.phases.openPlan',
  podsSetApiKey: 'airlock.pods.setApiKey',
  podsRefresh: 'airlock.pods.refresh',
  podsCreate: 'airlock.pods.create',
  podsOpenJupyter: 'airlock.pods.openJupyter',
  podsStartTunnel: 'airlock.pods.startTunnel',
  podsStopTunnel: 'airlock.pods.stopTunnel',
  podsOpenTerminal: 'airlock.pods.openTerminal',
  podsCopySshCommand: 'airlock.pods.copySshCommand',
  podsWriteSshConfig: 'airlock.pods.writeSshConfig',
  podsStop: 'airlock.pods.stop',
  podsResume: 'airlock.pods.resume',
  podsTerminate: 'airlock.pods.terminate',
  podsFilter: 'airlock.pods.filter',
  podsTerminateMatching: 'airlock.pods.terminateMatching',
  matrixOpen: 'airlock.matrix.open',
  sweepsRun: 'airlock.sweeps.run',
  sweepsDryRun: 'airlock.sweeps.dryRun',
  sweepsCollect: 'airlock.sweeps.collect',
  sweepsCancel: 'airlock.sweeps.cancel',
  sweepsClear: 'airlock.sweeps.clear',
  notebookRender: 'airlock.notebook.render',
  notebookRun: 'airlock.notebook.run',
  notifySetWebhook: 'airlock.notify.setWebhook',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];

/** Settings, without the `airlock.` prefix (as read through `workspace.getConfiguration('airlock')`). */
export const settingIds = {
  sshConfigPath: 'ssh.configPath',
  sshKeepaliveIntervalSec: 'ssh.keepaliveIntervalSec',
  sshConnectTimeoutSec: 'ssh.connectTimeoutSec',
  hostsRefreshIntervalSec: 'hosts.refreshIntervalSec',
  hostsShowSshConfigAliases: 'hosts.showSshConfigAliases',
  hostsDiskWarnPercent: 'hosts.diskWarnPercent',
  hostsWorkDir: 'hosts.workDir',
  tiers: 'tiers',
  logsMaxLinesPerStream: 'logs.maxLinesPerStream',
  phasesPlanPath: 'phases.planPath',
  phasesRefreshIntervalSec: 'phases.refreshIntervalSec',
  phasesWorkerName: 'phases.workerName',
  podsEndpoint: 'pods.endpoint',
  podsRefreshIntervalSec: 'pods.refreshIntervalSec',
  podsIdleWarnMinutes: 'pods.idleWarnMinutes',
  podsAutoStopIdleMinutes: 'pods.autoStopIdleMinutes',
  podsDefaultImage: 'pods.defaultImage',
  podsReadyTimeoutSec: 'pods.readyTimeoutSec',
  podsSshIdentityFile: 'pods.sshIdentityFile',
  sweepsLocalRoot: 'sweeps.localRoot',
} as const;

export const contextKeys = {
  hostsLoaded: 'airlock.hostsLoaded',
  phasesLoaded: 'airlock.phasesLoaded',
  phasesPlan: 'airlock.phasesPlan',
  podsLoaded: 'airlock.podsLoaded',
  podsKey: 'airlock.podsKey',
  podsEmpty: 'airlock.podsEmpty',
  podsTunnels: 'airlock.podsTunnels',
} as const;

export const webviewTypes = {
  logs: 'airlock.logs',
  /** The custom editor for *matrix*.csv files. */
  matrix: 'airlock.matrix',
  /** A Matrix panel on an in-memory table (the Phases results pivot). */
  matrixPanel: 'airlock.matrixPanel',
} as const;
