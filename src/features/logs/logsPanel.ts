import * as vscode from 'vscode';
import { webviewTypes } from '../../ids';
import { webviewOptions, webviewPage } from '../webviewHtml';
import type { LogStore } from '../../core/logs/logStore';
import { isActiveFilter, noFilter, type LogFilterQuery } from '../../core/logs/logFilter';
import { isAirlockLine, uniqueStreamNames } from '../../core/logs/streamNames';
import type { FilterState, HostToWebview, StreamSummary, WebviewToHost } from '../../shared/logsProtocol';

const maxCopyLines = 200_000;

/**
 * The Live Logs panel. All lines stay in the LogStore; the webview asks for the rows it shows.
 * A hidden webview drops messages, so every time it (re)appears it gets a full snapshot.
 */
export class LogsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private activeId: string | undefined;
  private filter: LogFilterQuery & { error?: string } = { ...noFilter };
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: LogStore,
    private readonly onStop: (streamId: string) => void,
  ) {
    const sub = store.onChange((e) => {
      if (e.type === 'streams' || e.ids.length) this.postStreams();
    });
    this.subscriptions.push({ dispose: () => sub.dispose() });
  }

  /** Shows the panel (creating it if needed), optionally selecting a stream. */
  reveal(streamId?: string, preserveFocus = false): void {
    if (streamId) this.activeId = streamId;
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      this.postSnapshot();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      webviewTypes.logs,
      'Airlock: Live Logs',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(this.extensionUri),
    );
    this.attach(panel);
  }

  /** Restores a panel VS Code kept across a reload. */
  attach(panel: vscode.WebviewPanel): void {
    // One panel at a time: a restored panel arriving while a new one was opened (or the other way
    // round) must not leave `this.panel` pointing at the one being closed — the survivor would stay
    // blank because every update went to the disposed one.
    if (this.panel && this.panel !== panel) this.panel.dispose();
    this.panel = panel;
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = this.html(panel.webview);
    panel.onDidDispose(() => this.panel === panel && (this.panel = undefined), undefined, this.subscriptions);
    panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.postSnapshot(), undefined, this.subscriptions);
    panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.handle(m), undefined, this.subscriptions);
  }

  private handle(m: WebviewToHost): void {
    switch (m.type) {
      case 'ready':
        this.postSnapshot();
        return;
      case 'select':
        this.activeId = m.streamId;
        this.postStreams();
        return;
      case 'requestRows':
        this.postRows(m.streamId, m.start, m.count, m.generation);
        return;
      case 'setFilter': {
        this.filter = { text: m.text, regex: m.regex, caseSensitive: m.caseSensitive };
        this.generation += 1;
        const error = this.activeId && isActiveFilter(this.filter) ? this.store.filter(this.activeId, this.filter).error : undefined;
        this.filter.error = error;
        this.post({ type: 'filter', filter: this.filterState(), generation: this.generation });
        this.postStreams();
        return;
      }
      case 'copy':
        void this.copy(m.streamId, m.what);
        return;
      case 'clear':
        this.store.clear(m.streamId);
        this.generation += 1;
        this.postSnapshot();
        return;
      case 'remove':
        this.store.remove(m.streamId);
        if (this.activeId === m.streamId) this.activeId = this.store.list().at(-1)?.id;
        this.postSnapshot();
        return;
      case 'stop':
        this.onStop(m.streamId);
        return;
      default: {
        const unexpected: never = m;
        throw new Error(`unknown Live Logs message ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /** Line numbers behind the rows: all kept lines, or the filter's matches. */
  private rowLines(streamId: string): { count: number; at: (row: number) => number } {
    const info = this.store.info(streamId);
    if (!info) return { count: 0, at: () => 0 };
    if (!isActiveFilter(this.filter)) return { count: info.end - info.first, at: (r) => info.first + r };
    const { matches } = this.store.filter(streamId, this.filter);
    return { count: matches.length, at: (r) => matches[r]! };
  }

  private summaries(): StreamSummary[] {
    const list = this.store.list();
    const names = uniqueStreamNames(list);
    return list.map((s) => ({
      id: s.id,
      title: s.title,
      name: names.get(s.id) ?? s.title,
      group: s.group ?? [],
      source: s.source,
      kind: s.kind,
      state: s.state,
      exitCode: s.exitCode,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      rows: this.rowLines(s.id).count,
      lines: s.end - s.first,
      dropped: s.dropped,
    }));
  }

  private filterState(): FilterState {
    return { text: this.filter.text, regex: this.filter.regex, caseSensitive: this.filter.caseSensitive, error: this.filter.error };
  }

  private postSnapshot(): void {
    if (!this.activeId || !this.store.info(this.activeId)) this.activeId = this.store.list().at(-1)?.id;
    this.post({ type: 'snapshot', streams: this.summaries(), activeId: this.activeId, filter: this.filterState() });
  }

  private postStreams(): void {
    if (this.panel?.visible) this.post({ type: 'streams', streams: this.summaries(), activeId: this.activeId });
  }

  private postRows(streamId: string, start: number, count: number, generation: number): void {
    const lines = this.rowLines(streamId);
    const rows = [];
    for (let r = Math.max(0, start); r < Math.min(lines.count, start + Math.min(count, 2000)); r++) {
      const n = lines.at(r);
      const [line] = this.store.range(streamId, n, n + 1);
      if (line) rows.push({ ...line, airlock: isAirlockLine(line.text) });
    }
    this.post({ type: 'rows', streamId, start, rows, generation });
  }

  private async copy(streamId: string, what: 'all' | { start: number; count: number }): Promise<void> {
    const lines = this.rowLines(streamId);
    const start = what === 'all' ? 0 : what.start;
    const end = what === 'all' ? lines.count : Math.min(lines.count, what.start + what.count);
    const from = Math.max(start, end - maxCopyLines);
    const text: string[] = [];
    for (let r = from; r < end; r++) {
      const n = lines.at(r);
      text.push(this.store.range(streamId, n, n + 1)[0]?.text ?? '');
    }
    await vscode.env.clipboard.writeText(text.join('\n'));
    void vscode.window.setStatusBarMessage(
      `Airlock: copied ${text.length} line${text.length === 1 ? '' : 's'}${from > start ? ` (the last ${maxCopyLines})` : ''}`,
      3000,
    );
  }

  private post(m: HostToWebview): void {
    void this.panel?.webview.postMessage(m);
  }

  private html(webview: vscode.Webview): string {
    return webviewPage(webview, this.extensionUri, { title: 'Live Logs', css: 'logs.css', script: 'logs.js' });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
