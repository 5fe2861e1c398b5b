import * as vscode from 'vscode';

/** A file a command was given: an explorer Uri or a path (tests, scripts). */
export const fileArg = (file: vscode.Uri | string | undefined): vscode.Uri | undefined =>
  file instanceof vscode.Uri ? file : typeof file === 'string' ? vscode.Uri.file(file) : undefined;
