import * as vscode from 'vscode';
import type { SweepsFeature } from '../sweepsFeature';
import type { RunNode } from '../sweepNodes';

/** Sweeps: Cancel — the run it was invoked on, else the running one. */
export function cancelSweep(sweeps: SweepsFeature, node?: RunNode): void {
  if (!sweeps.cancel(node?.run)) void vscode.window.showInformationMessage('Airlock: no sweep is running.');
}
