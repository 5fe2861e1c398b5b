import * as vscode from 'vscode';
import { type BundleTargetArg, type BundleTargetDeps, pickBundleTarget } from './bundleTarget';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { buildBundle } from '../../../core/bundle/buildBundle';
import { openBundle } from '../../../core/bundle/readBundle';
import { unpackOnHost } from '../../../core/bundle/deliver';
import { loadAirlockConfig } from '../../../core/bundle/airlockConfig';
import { recordFor, writeHostBundleRecord } from '../../../core/bundle/records';

/** Airlock: Export Bundle to Host… — the configured committed paths, unpacked into a directory on the host (or a running pod, from its row). */
export async function exportBundleToHost(deps: BundleTargetDeps, arg?: BundleTargetArg, dirArg?: string): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace) throw new UserError('Open the repository folder first: a bundle is made from its committed files.');
  const config = await loadAirlockConfig(workspace);
  if (!config.bundlePaths.length)
    throw new UserError(
      'Set "bundle.paths" in .airlock/airlock.json (e.g. ["experiments/v1/models", "experiments/v1/train.py", "requirements.txt"]) to say what to export.',
    );
  const target = await pickBundleTarget(deps, arg, 'Export the bundle to…');
  if (!target) return;
  const dir =
    typeof dirArg === 'string'
      ? dirArg
      : await vscode.window.showInputBox({
          title: `Unpack the bundle on ${target.label} into`,
          value: config.unpackDir ?? `${target.workDir}/airlock`,
          ignoreFocusOut: true,
        });
  if (!dir) return;
  const result = await withCancellableProgress(`Airlock: exporting to ${target.label}`, async (signal, report) => {
    report('bundling committed files…');
    const built = await buildBundle({ cwd: workspace, paths: config.bundlePaths, toolVersion: extensionVersion(), signal });
    const rec = await unpackOnHost(target.runner, openBundle(built.zip, 'the bundle'), dir, {
      signal,
      onProgress: (done, total) => report(`${done}/${total} files`),
    });
    await writeHostBundleRecord(workspace, recordFor(target.name, dir, rec.bundleSha256, built.manifest, new Date(rec.unpackedAt)));
    return built;
  });
  await deps.hosts.model.reloadBundles();
  void vscode.window.showInformationMessage(
    `Airlock: ${result.manifest.files.length} file${result.manifest.files.length === 1 ? '' : 's'} of ${result.manifest.commit.slice(0, 7)} unpacked on ${target.label}:${dir} (bundle ${result.sha256.slice(0, 12)}).`,
  );
}

function extensionVersion(): string {
  return (vscode.extensions.getExtension('airlock-dev.airlock')?.packageJSON as { version?: string } | undefined)?.version ?? 'dev';
}
