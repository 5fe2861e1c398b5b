import type * as vscode from 'vscode';
import type { LogsFeature } from '../logs/logsFeature';
import type { PodsFeature } from '../pods/podsFeature';
import type { SlurmJupyterSessions } from '../slurm/slurmJupyterSessions';
import type { DriveCredentialStore } from './driveCredentials';
import type { NotebookRunsModel } from './notebookRunsModel';

/** What the notebook commands work with (constructor injection; tests reach them through the API). */
export interface NotebookDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  logs: LogsFeature;
  model: NotebookRunsModel;
  credentials: DriveCredentialStore;
  /** Running pods are offered as Jupyter targets. */
  pods?: PodsFeature;
  /** Jupyter servers on Slurm compute nodes (Start Jupyter on Slurm…) are offered as targets too. */
  slurmJupyter?: SlurmJupyterSessions;
}
