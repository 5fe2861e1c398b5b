import * as vscode from 'vscode';
import { registerCommands } from './features/commandRegistry';
import { buildCommandHandlers } from './features/commands';
import { createHostsFeature } from './features/hosts/hostsFeature';

/** Composition root only: build services, register views, commands and status items. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Airlock', { log: true });
  context.subscriptions.push(log);
  const hosts = createHostsFeature(context, log, (runner, title, command) => {
    log.info(`${title}: ${command} (Live Logs not wired yet)`);
    void runner.exec(command, { onStdout: (l) => log.info(l), onStderr: (l) => log.warn(l) });
  });
  registerCommands(context, log, buildCommandHandlers({ context, log, hosts }));
  log.info(`Airlock ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
