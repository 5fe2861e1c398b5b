// Messages between the Matrix panel webview and the extension host. No Node or vscode imports:
// src/shared is compiled into both the extension and the browser bundle.
import type { MatrixTable } from '../core/matrix/matrixTable';

/** The table a panel shows, parsed by the host (numbers, numeric columns, the row-name column). */
export type MatrixData = MatrixTable;

export type HostToWebview = { type: 'table'; table: MatrixData };

export type WebviewToHost =
  { type: 'ready' } | { type: 'exportCsv'; csv: string; suggestedName: string } | { type: 'exportPng'; dataUrl: string; suggestedName: string };
