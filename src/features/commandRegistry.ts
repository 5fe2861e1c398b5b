import * as vscode from 'vscode';
import { commandIds, type CommandId } from '../ids';
import type { CommandArgs, CommandHandlers } from './commandTypes';
import { presentError } from './presentError';

/**
 * Registers every command from one table, behind one error boundary: a command that throws shows
 * presentError's notice named after the command's title (cancelling is silent) and resolves
 * undefined. VS Code hands commands `any[]`; this is the one place that trusts them to match
 * CommandArgs (menus, tree rows and our own executeCommand calls pass those).
 */
export function registerCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, handlers: CommandHandlers): void {
  const titles = new Map<string, string>(
    ((context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? []).map((c) => [c.command, c.title.replace(/…$/, '')]),
  );
  const register = <K extends CommandId>(id: K) => {
    const handler = handlers[id] as (...args: CommandArgs[K]) => unknown;
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...(args as CommandArgs[K]));
      } catch (err) {
        presentError(err, { what: titles.get(id) ?? id, log });
        return undefined;
      }
    });
  };
  for (const id of Object.values(commandIds)) context.subscriptions.push(register(id));
}
