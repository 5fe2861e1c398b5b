import * as vscode from 'vscode';
import { HostNode } from '../hostNodes';
import { remotePathExpr } from '../../../core/shell/quote';
import { type HostCommandDeps, pickHost } from './hostCommandDeps';

/** Hosts: Tail File (follows rotation like tail -F). */
export async function tailHostFile(deps: HostCommandDeps, arg?: HostNode | string, pathArg?: string): Promise<void> {
  const spec = await pickHost(deps, arg, 'Tail a file on…');
  if (!spec) return;
  const path =
    typeof pathArg === 'string'
      ? pathArg
      : await vscode.window.showInputBox({
          title: `Tail a file on ${spec.name}`,
          prompt: 'Path (follows rotation like tail -F)',
          placeHolder: '~/runs/train.log',
          ignoreFocusOut: true,
        });
  if (!path) return;
  // Double quotes (JSON.stringify) would still expand $(…) and backquotes on the host.
  const quoted = remotePathExpr(path);
  deps.runLogged(deps.model.runner(spec.name), `${spec.name}: tail ${path}`, `tail -n 200 -F ${quoted}`, 'tail');
}
