// The Matrix panel: any tradeoff_matrix.csv / sweep_matrix.csv (command, "Open With…", explorer
// menu) and in-memory tables such as the Phases results pivot.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readMatrixCsv } from '../../core/analysis/matrixCsv';
import { webviewTypes } from '../../ids';
import { webviewOptions, webviewPage } from '../webviewHtml';
import type { HostToWebview, MatrixData, WebviewToHost } from '../../shared/matrixProtocol';
import { matrixTable } from '../../core/matrix/matrixTable';
import { writeUriAtomic } from '../writeUri';

export interface MatrixFeature {
  /** Opens a panel on a table; resolves once the panel exists. */
  showTable(table: {
    title: string;
    source?: string;
    header: string[];
    rows: (string | number | null)[][];
    better?: MatrixData['better'];
    note?: string;
  }): vscode.WebviewPanel;
  open(file?: vscode.Uri): Promise<void>;
  /** Panels open now, with the table each shows (for tests). */
  readonly panels: ReadonlyMap<vscode.WebviewPanel, MatrixData>;
}

export function createMatrixFeature(context: vscode.ExtensionContext): MatrixFeature {
  const panels = new Map<vscode.WebviewPanel, MatrixData>();

  /** Wires a panel: the table goes out on `ready` and every time the panel becomes visible again. */
  const attach = (panel: vscode.WebviewPanel, get: () => MatrixData) => {
    panel.webview.options = webviewOptions(context.extensionUri);
    panel.webview.html = webviewPage(panel.webview, context.extensionUri, { title: get().title, css: 'matrix.css', script: 'matrix.js' });
    const send = () => void panel.webview.postMessage({ type: 'table', table: get() } satisfies HostToWebview);
    const subs = [
      panel.webview.onDidReceiveMessage(async (m: WebviewToHost) => {
        switch (m.type) {
          case 'ready':
            return send();
          case 'exportCsv':
            return saveAs(m.suggestedName, Buffer.from(m.csv, 'utf8'), { CSV: ['csv'] });
          case 'exportPng':
            return saveAs(m.suggestedName, Buffer.from(m.dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'), { PNG: ['png'] });
        }
      }),
      panel.onDidChangeViewState((e) => e.webviewPanel.visible && send()),
    ];
    panels.set(panel, get());
    panel.onDidDispose(() => {
      panels.delete(panel);
      subs.forEach((s) => s.dispose());
    });
    return send;
  };

  const saveAs = async (name: string, bytes: Buffer, filters: Record<string, string[]>) => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters });
    if (!uri) return;
    await writeUriAtomic(uri, bytes);
    void vscode.window.showInformationMessage(`Airlock: saved ${vscode.workspace.asRelativePath(uri)}.`);
  };

  const fromText = (text: string, uri: vscode.Uri): MatrixData => {
    const t = readMatrixCsv(text);
    return matrixTable({ title: basename(uri.fsPath), source: uri.fsPath, header: t.header, rows: t.rows });
  };

  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(
      webviewTypes.matrix,
      {
        resolveCustomTextEditor(document, panel) {
          let data = fromText(document.getText(), document.uri);
          const send = attach(panel, () => data);
          const sub = vscode.workspace.onDidChangeTextDocument((e) => {
            if (e.document.uri.toString() !== document.uri.toString()) return;
            data = fromText(document.getText(), document.uri);
            panels.set(panel, data);
            send();
          });
          panel.onDidDispose(() => sub.dispose());
        },
      },
      { webviewOptions: { enableFindWidget: true } },
    ),
  );

  return {
    panels,
    showTable(table) {
      const data: MatrixData = matrixTable({
        title: table.title,
        source: table.source ?? table.title,
        header: table.header,
        rows: table.rows.map((r) => r.map((c) => (c === null ? '' : String(c)))),
        better: table.better,
        note: table.note,
      });
      const panel = vscode.window.createWebviewPanel(webviewTypes.matrixPanel, table.title, vscode.ViewColumn.Active, { retainContextWhenHidden: false });
      attach(panel, () => data);
      return panel;
    },
    async open(arg) {
      let uri = arg instanceof vscode.Uri ? arg : undefined;
      if (!uri) {
        const found = await vscode.workspace.findFiles('**/{tradeoff_matrix,sweep_matrix,*matrix*}.csv', '**/node_modules/**', 200);
        const picked = found.length
          ? await vscode.window.showQuickPick(
              [...found.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f as vscode.Uri | undefined })), { label: 'Browse…', uri: undefined }],
              { placeHolder: 'Open which matrix?' },
            )
          : { label: 'Browse…', uri: undefined };
        if (!picked) return;
        uri = picked.uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv'] } }))?.[0];
      }
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, webviewTypes.matrix);
    },
  };
}
