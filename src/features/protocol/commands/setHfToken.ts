import * as vscode from 'vscode';
import { storeHfToken, type SyncCommandDeps } from '../syncCommandDeps';

/** Airlock: Set Hugging Face Token… — kept in secret storage; checkpoint syncs and data fetches started afterwards use it. */
export async function setHfToken(deps: SyncCommandDeps, token?: string): Promise<void> {
  if (!(await storeHfToken(deps.secrets, token))) return;
  void vscode.window.showInformationMessage(
    'Airlock: Hugging Face token stored in secret storage. A running sync keeps the token it started with — stop and start it to use this one.',
  );
}
