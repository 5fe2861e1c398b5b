// What the phase commands need (narrow, so each command file shows its dependencies) and the helpers
// they share: the plan (or a UserError saying what to do), the phase a node stands for, the ref to read.
import * as vscode from 'vscode';
import { isAbsolute, relative } from 'node:path';
import type { PivotTable } from '../../../core/phases/pivot';
import { UserError } from '../../../core/errors/userError';
import type { HostsFeature } from '../../hosts/hostsFeature';
import type { LogsFeature } from '../../logs/logsFeature';
import { readSettings } from '../../settings';
import type { TreeRefresh } from '../../tree/treeRefresh';
import { GroupNode, PhaseNode, type PhasesTreeNode } from '../phaseNodes';
import type { PhasesModel } from '../phasesModel';
import type { WorkerHandle } from '../../../core/phases/workerLaunch';
import type { WorkerEvent } from '../../../core/phases/workerTypes';

export interface PhaseCommandDeps {
  model: PhasesModel;
  logs: LogsFeature;
  hosts: HostsFeature;
  cliPath: string;
  log: vscode.LogOutputChannel;
  showTable?: (table: PivotTable) => void | Promise<void>;
  /** What a worker started from this window does with each typed event (workerEvents.ts). */
  onWorkerEvent: (w: WorkerHandle, e: WorkerEvent) => void;
  /** The view's refresh: a manual Refresh goes through it. */
  refresh: TreeRefresh<PhasesTreeNode>;
}

export function requirePlan(deps: PhaseCommandDeps) {
  const { plan, folder } = deps.model;
  if (!folder) throw new UserError('Open the clone of your queue repository as a workspace folder first.');
  if (!plan)
    throw new UserError(deps.model.planError ?? `There is no ${readSettings().phasesPlanPath} in ${folder} — run "Airlock: Open Phases Plan" to create one.`);
  return { plan, folder };
}

export const phaseOf = (arg: PhaseNode | GroupNode | string | undefined) =>
  arg instanceof PhaseNode ? arg.status.phase : arg instanceof GroupNode ? arg.phase : typeof arg === 'string' ? arg : undefined;

/** The plan's path for a worker in another clone: relative to the clone root, as the setting means it. */
export function planPathIn(folder: string): string {
  const p = readSettings().phasesPlanPath;
  return isAbsolute(p) ? relative(folder, p) : p;
}

export function refOf(model: PhasesModel): string {
  const s = model.status?.source;
  return !s || s === 'local checkout' ? 'HEAD' : s;
}

export async function pickSshHost(deps: PhaseCommandDeps) {
  const hosts = deps.hosts.model;
  if (!hosts.isLoaded) await hosts.reload();
  const ssh = hosts.hosts.filter((h) => h.spec.kind === 'ssh');
  if (!ssh.length) {
    void vscode.window.showInformationMessage(
      'Airlock: no SSH hosts yet — add one in the Hosts view. (To run a worker on this machine use "Start Phase Worker Here".)',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    ssh.map((h) => ({ label: h.spec.name, description: h.facts?.reachable === false ? `unreachable: ${h.facts.reason}` : '', spec: h.spec })),
    { placeHolder: 'Start a phase worker on…' },
  );
  return picked?.spec;
}
