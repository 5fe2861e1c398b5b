import * as vscode from 'vscode';
import { HostNode } from '../hostNodes';
import { type HostCommandDeps, pickHost } from './hostCommandDeps';

/** Hosts: Write ~/.ssh/config entry. */
export async function writeHostSshConfig(deps: HostCommandDeps, arg?: HostNode | string): Promise<void> {
  const spec = await pickHost(deps, arg, 'Write a ~/.ssh/config entry for…', (s) => s.kind === 'ssh');
  if (!spec) return;
  const fields = await deps.resolvedSshFields(spec);
  const summary = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const ok = await vscode.window.showInformationMessage(
    `Write "Host ${spec.name}" to your SSH config?`,
    { modal: true, detail: `${summary}\n\nOther entries are left untouched and a backup of the previous file is kept.` },
    'Write Entry',
  );
  if (ok !== 'Write Entry') return;
  const r = await deps.upsertSshConfig(spec.name, fields);
  void vscode.window.showInformationMessage(
    r.changed
      ? `Airlock: updated "Host ${spec.name}" in ${r.configPath}${r.backup ? ` (backup: ${r.backup})` : ''}.`
      : `Airlock: "Host ${spec.name}" in ${r.configPath} is already up to date.`,
  );
}
