import * as vscode from 'vscode';
import { type BundleTargetArg, type BundleTargetDeps, pickBundleTarget } from './bundleTarget';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { readReceived } from '../../../core/bundle/deliver';
import { renderDrift, verifyOnHost } from '../../../core/bundle/verify';
import { noteVerify } from '../../../core/bundle/records';

/** Airlock: Show Drift — verifies the unpacked bundle on a host (or a pod, from its row) now and opens the list of changed, missing and extra files. */
export async function showDrift(deps: BundleTargetDeps, arg?: BundleTargetArg): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace) throw new UserError('Open the repository folder first.');
  const model = deps.hosts.model;
  if (!model.isLoaded) await model.reload();
  const target = await pickBundleTarget(deps, arg, 'Check the code on…', (name) => !!model.bundle(name));
  if (!target) return;
  const rec = model.bundle(target.name);
  if (!rec) throw new UserError(`${target.label} has not received a bundle from this workspace — run "Airlock: Export Bundle to Host…" on it first.`);
  const text = await withCancellableProgress(`Airlock: checking ${target.label}:${rec.dir}`, async (signal) => {
    const received = await readReceived(target.runner, rec.dir, signal);
    if (!received) throw new UserError(`${target.label}:${rec.dir} holds no .airlock-bundle.json any more — export the bundle again.`);
    const report = await verifyOnHost(target.runner, rec.dir, received.manifest, signal);
    await noteVerify(workspace, target.name, rec.dir, report, new Date());
    return renderDrift(report, `${target.label}:${rec.dir}`, received.manifest);
  });
  await model.reloadBundles();
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: true });
}
