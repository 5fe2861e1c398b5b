import * as vscode from 'vscode';
import { HostNode } from '../../hosts/hostNodes';
import { type HostCommandDeps, pickHost } from '../../hosts/commands/hostCommandDeps';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { readReceived } from '../../../core/bundle/deliver';
import { renderDrift, verifyOnHost } from '../../../core/bundle/verify';
import { noteVerify } from '../../../core/bundle/records';

/** Airlock: Show Drift — verifies the host's unpacked bundle now and opens the list of changed, missing and extra files. */
export async function showDrift(deps: HostCommandDeps, arg?: HostNode | string): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace) throw new UserError('Open the repository folder first.');
  if (!deps.model.isLoaded) await deps.model.reload();
  const spec = await pickHost(deps, arg, 'Check the code on…', (s) => !!deps.model.bundle(s.name));
  if (!spec) return;
  const rec = deps.model.bundle(spec.name);
  if (!rec) throw new UserError(`${spec.name} has not received a bundle from this workspace — run "Airlock: Export Bundle to Host…" first.`);
  const text = await withCancellableProgress(`Airlock: checking ${spec.name}:${rec.dir}`, async (signal) => {
    const runner = deps.model.runner(spec.name);
    const received = await readReceived(runner, rec.dir, signal);
    if (!received) throw new UserError(`${spec.name}:${rec.dir} holds no .airlock-bundle.json any more — export the bundle again.`);
    const report = await verifyOnHost(runner, rec.dir, received.manifest, signal);
    await noteVerify(workspace, spec.name, rec.dir, report, new Date());
    return renderDrift(report, `${spec.name}:${rec.dir}`, received.manifest);
  });
  await deps.model.reloadBundles();
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: true });
}
