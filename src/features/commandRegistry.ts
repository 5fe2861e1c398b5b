import * as vscode from 'vscode';
import { commandIds, type CommandId } from '../ids';
import type { CommandArgs, CommandHandlers } from './commandTypes';
import { presentError } from './presentError';
import { isCancelled } from '../core/process/errors';

/**
 * Registers every command from one table, behind one error boundary: a command that throws shows
 * presentError's notice named after the command's title (cancelling is silent) and resolves
 * undefined. VS Code hands commands `any[]`; this is the one place that trusts them to match
 * CommandArgs (menus, tree rows and our own executeCommand calls pass those).
 */
/** Failures the registry caught, newest last (at most 50): how tests observe the error path. */
export interface CommandFailure {
  id: CommandId;
  message: string;
}

export function registerCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, handlers: CommandHandlers): CommandFailure[] {
  const failures: CommandFailure[] = [];
  const titles = new Map<string, string>(
    ((context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? []).map((c) => [
      c.command,
      c.title.replace(/…$/, ''),
    ]),
  );
  const register = <K extends CommandId>(id: K) => {
    const handler = handlers[id] as (...args: CommandArgs[K]) => unknown;
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...(args as CommandArgs[K]));
      } catch (err) {
        if (!isCancelled(err)) {
          failures.push({ id, message: err instanceof Error ? err.message : String(err) });
          if (failures.length > 50) failures.shift();
        }
        presentError(err, { what: titles.get(id) ?? id, log });
        return undefined;
      }
    });
  };
  for (const id of Object.values(commandIds)) context.subscriptions.push(register(id));
  return failures;
}
