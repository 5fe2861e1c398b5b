import type * as vscode from 'vscode';
import type { NotebookDeps } from '../notebookDeps';
import { fileArg } from './fileArg';

/** Colab: Set Service Account Key — from the file given or picked; kept in SecretStorage. */
export async function setServiceAccountKey(d: NotebookDeps, file?: vscode.Uri | string): Promise<void> {
  await d.credentials.setServiceAccountKey(fileArg(file));
}
