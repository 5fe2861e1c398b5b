import * as vscode from 'vscode';
import { basename } from 'node:path';
import { HostNode } from '../../hosts/hostNodes';
import { type HostCommandDeps, pickHost } from '../../hosts/commands/hostCommandDeps';
import { hostRunSource } from '../../../core/journal/hostRunSource';
import { importIntoWorkspace } from './importRunShared';

/** Airlock: Import Run… — a finished run directory on a host into experiments/<exp>/runs/<run>/ plus a journal.md entry. */
export async function importRunFromHost(deps: HostCommandDeps, arg?: HostNode | string, dirArg?: string): Promise<void> {
  const spec = await pickHost(deps, arg, 'Import a run from…');
  if (!spec) return;
  const dir =
    typeof dirArg === 'string'
      ? dirArg
      : await vscode.window.showInputBox({
          title: `Run directory on ${spec.name}`,
          value: deps.model.bundle(spec.name)?.dir ?? spec.workDir ?? '~',
          ignoreFocusOut: true,
        });
  if (!dir) return;
  const run = basename(dir.replace(/\/+$/, '')) || 'run';
  await importIntoWorkspace(`${spec.name}:${dir}`, run, (config, signal) =>
    hostRunSource(deps.model.runner(spec.name), dir, { include: config.include, signal }),
  );
}
