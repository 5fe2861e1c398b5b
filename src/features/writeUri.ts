// The editor's file writes go through core's writeFileAtomic (temp + fsync + rename), so a full
// disk never leaves a half-written output in place of the previous one. Non-file URIs (virtual
// file systems) have no rename to rely on and go through the workspace API.
import * as vscode from 'vscode';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../core/fs/writeFileAtomic';

export async function writeUriAtomic(uri: vscode.Uri, data: Uint8Array): Promise<void> {
  if (uri.scheme === 'file') {
    // workspace.fs.writeFile creates missing parents; keep that.
    await mkdir(dirname(uri.fsPath), { recursive: true });
    return writeFileAtomic(uri.fsPath, data);
  }
  await vscode.workspace.fs.writeFile(uri, data);
}
