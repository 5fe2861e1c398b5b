import * as vscode from 'vscode';
import { registerCommands, type CommandFailure } from './features/commandRegistry';
import { buildCommandHandlers } from './features/commands';
import { createHostsFeature, type HostsFeature } from './features/hosts/hostsFeature';
import { createLogsFeature, type LogsFeature } from './features/logs/logsFeature';
import { createPhasesFeature, type PhasesFeature } from './features/phases/phasesFeature';
import { createPodsFeature, type PodsFeature } from './features/pods/podsFeature';
import { createMatrixFeature, type MatrixFeature } from './features/matrix/matrixFeature';
import { createSweepsFeature, type SweepsFeature } from './features/sweeps/sweepsFeature';
import { createNotebookFeature, type NotebookFeature } from './features/notebook/notebookFeature';

/** Composition root only: build services, register views, commands and status items. */
/** What `activate` returns: the live services, for the extension-host tests and other extensions. */
export interface AirlockApi {
  hosts: HostsFeature['model'];
  /** The checkpoint syncs started on hosts. */
  syncs: HostsFeature['syncs'];
  logs: LogsFeature;
  phases: PhasesFeature['model'];
  pods: PodsFeature;
  matrix: MatrixFeature;
  sweeps: SweepsFeature;
  notebook: NotebookFeature;
  /** Errors the command registry caught (it shows them and returns undefined): for tests. */
  commandFailures: readonly CommandFailure[];
}

export function activate(context: vscode.ExtensionContext): AirlockApi {
  const log = vscode.window.createOutputChannel('Airlock', { log: true });
  context.subscriptions.push(log);
  const logs = createLogsFeature(context);
  const hosts = createHostsFeature(context, log, (runner, title, command, kind) => void logs.run(runner, title, command, kind));
  const matrix = createMatrixFeature(context);
  const phases = createPhasesFeature(
    context,
    log,
    logs,
    hosts,
    (t) => void matrix.showTable({ title: t.title, header: t.columns, rows: t.rows, better: t.better, note: t.note }),
  );
  const pods = createPodsFeature(context, log, hosts, logs);
  const sweeps = createSweepsFeature(context, log, logs);
  const notebook = createNotebookFeature(context, log, logs, pods, hosts.slurmJupyter);
  const commandFailures = registerCommands(context, log, buildCommandHandlers({ context, log, hosts, logs, phases, pods, matrix, sweeps, notebook }));
  log.info(`Airlock ${context.extension.packageJSON.version} activated`);
  return { hosts: hosts.model, syncs: hosts.syncs, logs, phases: phases.model, pods, matrix, sweeps, notebook, commandFailures };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
