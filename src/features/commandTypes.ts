// The argument list of every command, by id. `CommandHandlers` maps every CommandId to a handler
// taking exactly these arguments, so the compiler proves that each declared command has a handler
// and that the handler accepts what menus, tree rows and other commands pass (no `unknown`).
// Optional arguments: from the palette a command gets none.
import type * as vscode from 'vscode';
import { commandIds, type CommandId } from '../ids';
import type { HostNode } from './hosts/hostNodes';
import type { CheckpointsNode } from './hosts/syncNodes';
import type { EntryNode, GroupNode, PhaseNode, WorkerNode } from './phases/phaseNodes';
import type { PodNode } from './pods/podNodes';
import type { RunNode as SweepRunNode, CaseNode as SweepCaseNode } from './sweeps/sweepNodes';
import type { DispatchRequest } from './notebook/dispatchFlow';
import type { ResultFileNode, RunNode as NotebookRunNode } from './notebook/notebookRunNodes';
import type { RunTarget } from './notebook/commands/pickRun';
import type { JobTarget } from './slurm/commands/slurmCommandDeps';
import type { SlurmJupyterNode } from './slurm/slurmJupyterNodes';
import type { JupyterJobOptions } from '../core/slurm/jupyterJob';

type Host = HostNode | string;
/** A Checkpoints row, a host row, or a host name (then the watched directory is the next argument or picked). */
type SyncTarget = CheckpointsNode | HostNode | string;
type Pod = PodNode | string;
type Phase = PhaseNode | GroupNode | string;
type File = vscode.Uri | string;

export interface CommandArgs {
  [commandIds.hostsAdd]: [];
  [commandIds.hostsRefresh]: [host?: HostNode];
  [commandIds.hostsOpenConfig]: [];
  [commandIds.hostsOpenTerminal]: [host?: Host];
  [commandIds.hostsRunCommand]: [host?: Host, command?: string];
  [commandIds.hostsTailFile]: [host?: Host, path?: string];
  [commandIds.hostsCopySshCommand]: [host?: Host];
  [commandIds.hostsWriteSshConfig]: [host?: Host];
  [commandIds.hostsStop]: [host?: Host, opts?: { yes?: boolean }];
  /** A host row or name, or a running pod's row or `{ pod: id }`; then the directory to unpack into. */
  [commandIds.protocolExportBundle]: [target?: Host | PodNode | { pod: string }, dir?: string];
  [commandIds.protocolShowDrift]: [target?: Host | PodNode | { pod: string }];
  /** A host row (or name), a pod row, or `{ pod: id }`, then the run directory on it; a collected sweep case, a done phase entry, a finished notebook run. */
  [commandIds.protocolImportRun]: [
    from?:
      | Host
      | PodNode
      | { pod: string }
      | SweepCaseNode
      | { sweepRun: string; caseIndex: number }
      | EntryNode
      | { phaseEntry: string }
      | NotebookRunNode
      | { notebookRun: string },
    dir?: string,
  ];
  [commandIds.protocolStartSync]: [host?: Host, dir?: string, configFile?: File];
  [commandIds.protocolStopSync]: [sync?: SyncTarget, dir?: string];
  [commandIds.protocolResumeLatest]: [sync?: SyncTarget, outDir?: string];
  [commandIds.protocolFetchData]: [host?: Host, source?: string, dest?: string];
  [commandIds.protocolSetHfToken]: [token?: string];
  [commandIds.logsShow]: [streamId?: string];
  [commandIds.jobsShow]: [];
  [commandIds.jobsCancel]: [];
  [commandIds.phasesRefresh]: [];
  [commandIds.phasesGenerate]: [];
  [commandIds.phasesStartWorkerHere]: [phase?: Phase];
  [commandIds.phasesStartWorkerOnHost]: [host?: Host, cloneDir?: string];
  [commandIds.phasesStopWorker]: [worker?: WorkerNode];
  [commandIds.phasesReleaseStale]: [];
  [commandIds.phasesRequeueFailed]: [phase?: Phase];
  [commandIds.phasesOpenResult]: [entry?: EntryNode];
  [commandIds.phasesOpenLog]: [entry?: EntryNode];
  [commandIds.phasesShowResults]: [phase?: Phase];
  [commandIds.phasesOpenPlan]: [];
  [commandIds.phasesSubmitToSlurm]: [cluster?: Host];
  [commandIds.slurmRefresh]: [cluster?: Host];
  [commandIds.slurmCancelJob]: [job?: JobTarget];
  [commandIds.slurmHoldJob]: [job?: JobTarget];
  [commandIds.slurmReleaseJob]: [job?: JobTarget];
  [commandIds.slurmRequeueJob]: [job?: JobTarget];
  [commandIds.slurmOpenOutput]: [job?: JobTarget];
  [commandIds.slurmTailOutput]: [job?: JobTarget];
  [commandIds.slurmStartJupyter]: [cluster?: Host | string, options?: JupyterJobOptions];
  [commandIds.slurmOpenJupyter]: [server?: SlurmJupyterNode | string];
  [commandIds.slurmStopJupyter]: [server?: SlurmJupyterNode | string];
  [commandIds.podsSetApiKey]: [];
  [commandIds.podsRefresh]: [];
  [commandIds.podsCreate]: [];
  [commandIds.podsOpenJupyter]: [pod?: Pod];
  [commandIds.podsStartTunnel]: [pod?: Pod];
  [commandIds.podsStopTunnel]: [pod?: Pod];
  [commandIds.podsOpenTerminal]: [pod?: Pod];
  [commandIds.podsCopySshCommand]: [pod?: Pod];
  [commandIds.podsWriteSshConfig]: [pod?: Pod];
  [commandIds.podsStop]: [pod?: Pod];
  [commandIds.podsResume]: [pod?: Pod];
  [commandIds.podsTerminate]: [pod?: Pod];
  [commandIds.podsFilter]: [];
  [commandIds.podsTerminateMatching]: [];
  [commandIds.podsShowLogs]: [pod?: Pod];
  [commandIds.podsConnectColab]: [pod?: Pod];
  [commandIds.matrixOpen]: [file?: vscode.Uri];
  [commandIds.sweepsRun]: [config?: File];
  [commandIds.sweepsDryRun]: [config?: File];
  [commandIds.sweepsCollect]: [config?: File];
  [commandIds.sweepsCancel]: [run?: SweepRunNode];
  [commandIds.sweepsClear]: [];
  [commandIds.notebookRender]: [template?: File];
  [commandIds.notebookRun]: [notebook?: File, server?: string, token?: string];
  [commandIds.notebookDispatch]: [notebook?: File, request?: DispatchRequest];
  [commandIds.notebookCancelRun]: [run?: RunTarget];
  [commandIds.notebookRerun]: [run?: RunTarget];
  [commandIds.notebookDownloadResults]: [run?: RunTarget];
  [commandIds.notebookOpenResult]: [file?: ResultFileNode];
  [commandIds.notebookCheckStatus]: [run?: RunTarget];
  [commandIds.notebookClearRuns]: [];
  [commandIds.colabSetServiceAccountKey]: [keyFile?: File];
  [commandIds.colabSignIn]: [clientFile?: File];
  [commandIds.colabSignOut]: [];
  [commandIds.notifySetWebhook]: [];
}

/** A command body; what it returns reaches `executeCommand` (tests and other extensions use it). */
export type Handler<A extends unknown[]> = (...args: A) => unknown;

/** Exactly one handler per declared command, each with its own argument list (`CommandArgs[K]` fails to compile for an id without one). */
export type CommandHandlers = { [K in CommandId]: Handler<CommandArgs[K]> };
