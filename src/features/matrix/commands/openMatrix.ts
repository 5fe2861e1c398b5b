import type * as vscode from 'vscode';
import type { MatrixFeature } from '../matrixFeature';

/** Matrix: Open — a *matrix*.csv given (explorer, Sweeps view) or picked, in the Matrix editor. */
export function openMatrix(matrix: MatrixFeature, file?: vscode.Uri): Promise<void> {
  return matrix.open(file);
}
