import * as vscode from 'vscode';
import { registerCommands } from './features/commandRegistry';
import { buildCommandHandlers } from './features/commands';
import { createHostsFeature, type HostsFeature } from './features/hosts/hostsFeature';

/** Composition root only: build services, register views, commands and status items. */
/** What `activate` returns: the live services, for the extension-host tests and other extensions. */
export interface AirlockApi {
  hosts: HostsFeature['model'];
}

export function activate(context: vscode.ExtensionContext): AirlockApi {
  const log = vscode.window.createOutputChannel('Airlock', { log: true });
  context.subscriptions.push(log);
  const hosts = createHostsFeature(context, log, (runner, title, command) => {
    log.info(`${title}: ${command} (Live Logs not wired yet)`);
    void runner.exec(command, { onStdout: (l) => log.info(l), onStderr: (l) => log.warn(l) });
  });
  registerCommands(context, log, buildCommandHandlers({ context, log, hosts }));
  log.info(`Airlock ${context.extension.packageJSON.version} activated`);
  return { hosts: hosts.model };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
