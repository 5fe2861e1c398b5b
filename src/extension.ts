import * as vscode from 'vscode';
import { registerCommands } from './features/commandRegistry';
import { buildCommandHandlers } from './features/commands';

/** Composition root only: build services, register views, commands and status items. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Airlock', { log: true });
  context.subscriptions.push(log);
  registerCommands(context, log, buildCommandHandlers({ context, log }));
  log.info(`Airlock ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
