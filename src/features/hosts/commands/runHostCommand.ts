import * as vscode from 'vscode';
import { HostNode } from '../hostNodes';
import { type HostCommandDeps, pickHost } from './hostCommandDeps';

/** Hosts: Run Command — output streams into Live Logs. */
export async function runHostCommand(deps: HostCommandDeps, arg?: HostNode | string, commandArg?: string): Promise<void> {
  const spec = await pickHost(deps, arg, 'Run a command on…');
  if (!spec) return;
  const command =
    typeof commandArg === 'string'
      ? commandArg
      : await vscode.window.showInputBox({
          title: `Run on ${spec.name}`,
          prompt: 'Shell command (bash -lc); output streams into Live Logs',
          placeHolder: 'nvidia-smi',
          ignoreFocusOut: true,
        });
  if (!command) return;
  deps.runLogged(deps.model.runner(spec.name), `${spec.name}: ${command}`, command, 'command');
}
