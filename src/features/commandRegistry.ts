import * as vscode from 'vscode';
import { commandIds, type CommandId } from '../ids';
import { isCancelled } from '../core/process/errors';

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandHandlers = Partial<Record<CommandId, CommandHandler>>;

/**
 * Registers every command from one table. A command that throws shows one clear error message
 * (cancelling is silent) and logs the details; a unit test checks that the table covers `commandIds`.
 */
/** Failures the registry caught, newest last (at most 50): how tests observe the error path. */
export interface CommandFailure {
  id: CommandId;
  message: string;
}

export function registerCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, handlers: CommandHandlers): CommandFailure[] {
  const failures: CommandFailure[] = [];
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
          failures.push({ id, message });
          if (failures.length > 50) failures.shift();
          void vscode.window.showErrorMessage(`Airlock: ${message}`);
          return undefined;
        }
      }),
    );
  }
  return failures;
}
