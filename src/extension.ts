import * as vscode from 'vscode';
import { registerCommands } from './features/commandRegistry';
import { buildCommandHandlers } from './features/commands';
import { createHostsFeature, type HostsFeature } from './features/hosts/hostsFeature';
import { createLogsFeature, type LogsFeature } from './features/logs/logsFeature';

/** Composition root only: build services, register views, commands and status items. */
/** What `activate` returns: the live services, for the extension-host tests and other extensions. */
export interface AirlockApi {
  hosts: HostsFeature['model'];
  logs: LogsFeature;
}

export function activate(context: vscode.ExtensionContext): AirlockApi {
  const log = vscode.window.createOutputChannel('Airlock', { log: true });
  context.subscriptions.push(log);
  const logs = createLogsFeature(context);
  const hosts = createHostsFeature(context, log, (runner, title, command, kind) => void logs.run(runner, title, command, kind));
  registerCommands(context, log, buildCommandHandlers({ context, log, hosts, logs }));
  log.info(`Airlock ${context.extension.packageJSON.version} activated`);
  return { hosts: hosts.model, logs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
