import type * as vscode from 'vscode';
import type { NotebookDeps } from '../notebookDeps';
import { fileArg } from './fileArg';

/** Colab: Sign In to Google (OAuth installed-app flow; the client file given or picked). */
export async function signInGoogle(d: NotebookDeps, clientFile?: vscode.Uri | string): Promise<void> {
  await d.credentials.signIn(fileArg(clientFile));
}
