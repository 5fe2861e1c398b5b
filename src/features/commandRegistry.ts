import * as vscode from 'vscode';
import { commandIds, type CommandId } from '../ids';
import { isCancelled } from '../core/process/errors';

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandHandlers = Partial<Record<CommandId, CommandHandler>>;

/**
 * Registers every command from one table. A command that throws shows one clear error message
 * (cancelling is silent) and logs the details; a unit test checks that the table covers `commandIds`.
 */
export function registerCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, handlers: CommandHandlers): void {
  for (const id of Object.values(commandIds)) {
    const handler = handlers[id];
    if (!handler) throw new Error(`Airlock: command ${id} has no handler`);
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          if (isCancelled(err)) return undefined;
          const message = err instanceof Error ? err.message : String(err);
          log.error(`${id}: ${err instanceof Error && err.stack ? err.stack : message}`);
          void vscode.window.showErrorMessage(`Airlock: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
