// Messages between the Matrix panel webview and the extension host. No Node or vscode imports.

export interface MatrixData {
  title: string;
  /** Where the table came from (a file path, or "phase p1: accuracy"). */
  source: string;
  header: string[];
  rows: string[][];
}

export type HostToWebview = { type: 'table'; table: MatrixData };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'exportCsv'; csv: string; suggestedName: string }
  | { type: 'exportPng'; dataUrl: string; suggestedName: string };
