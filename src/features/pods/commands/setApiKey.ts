import * as vscode from 'vscode';
import { apiKeySecret } from '../podsModel';
import type { PodCommandDeps } from './podCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Pods: Set RunPod API Key — kept in SecretStorage only. */
export async function setApiKey(deps: PodCommandDeps): Promise<void> {
  const { model } = deps;
  const key = await vscode.window.showInputBox({
    title: 'RunPod API key',
    prompt: 'Kept in VS Code secret storage (never in settings or logs). Leave empty to remove it.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (!key.trim()) await deps.secrets.delete(apiKeySecret);
  else await deps.secrets.store(apiKeySecret, key.trim());
  await model.forgetKey();
  if (key.trim() && model.error) throw new UserError(model.error);
  if (key.trim()) void vscode.window.showInformationMessage(`Airlock: RunPod key saved; ${model.pods.length} pod(s) on the account.`);
}
