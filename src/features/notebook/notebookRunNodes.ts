// The Notebooks view: one node per run (state, target, cell x/y, GPU, elapsed), and under it what a
// user reaches for — the log, the notebook on Colab, the results folder on Drive, the result files,
// the executed notebook, the screenshot of a failure.
import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { formatDuration } from '../../core/text/duration';
import { describeRun, runHasResults, runIsActive, type NotebookRunRecord } from '../../core/notebook/notebookRun';
import type { RunFile } from '../../core/colab/results';
import type { NotebookRunsModel } from './notebookRunsModel';
import { code, markdown, tooltip } from '../tree/tooltip';
import { TreeRefresh } from '../tree/treeRefresh';

export type NotebookTreeNode = RunNode | LinkNode | ResultFileNode | WrittenFileNode;

const stateIcon: Record<NotebookRunRecord['state'], [string, string?]> = {
  uploading: ['cloud-upload', 'charts.blue'],
  starting: ['loading~spin', 'charts.blue'],
  running: ['sync~spin', 'charts.blue'],
  done: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'errorForeground'],
  cancelled: ['circle-slash'],
  interrupted: ['debug-disconnect', 'list.warningForeground'],
};

export class RunNode {
  readonly kind = 'run';
  constructor(readonly run: NotebookRunRecord) {}

  toTreeItem(): vscode.TreeItem {
    const r = this.run;
    // Runs of one notebook tell apart by their start time (the label), target and state (the description).
    const item = new vscode.TreeItem(`${r.notebook} · ${new Date(r.startedAt).toLocaleTimeString()}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = r.id;
    // Menus key on kind and state: notebookRun.colab.done.drive.results, notebookRun.jupyter.running, …
    item.contextValue = `notebookRun.${r.kind}.${r.state}${r.folderId ? '.drive' : ''}${runHasResults(r) ? '.results' : ''}`;
    const [icon, colour] = stateIcon[r.state];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    item.description = `${describeRun(r)} · ${formatDuration((r.endedAt ?? Date.now()) - r.startedAt)}`;
    const params = Object.entries(r.params ?? {});
    // The error and the parameters come from the run (a notebook, Colab's page, a remote kernel).
    item.tooltip = tooltip([
      markdown`**${r.notebook}** → ${r.target}: **${r.state}**`,
      !!r.error && markdown`**Why:** ${r.error}`,
      !!r.runId && markdown`Run ${code(r.runId)}`,
      params.length > 0 && `Parameters: ${params.map(([k, v]) => markdown`${code(`${k}=${v}`)}`).join(', ')}`,
      markdown`Started ${new Date(r.startedAt).toLocaleString()}${r.endedAt ? `, ended ${new Date(r.endedAt).toLocaleString()}` : ''}`,
      !!r.streamId && 'Click to show its live log.',
    ]);
    if (r.streamId) item.command = { title: 'Show Log', command: commandIds.logsShow, arguments: [r.streamId] };
    item.accessibilityInformation = { label: `${item.label as string} ${item.description}` };
    return item;
  }

  children(): NotebookTreeNode[] {
    const r = this.run;
    const out: NotebookTreeNode[] = [];
    if (r.error) out.push(new LinkNode(r, 'why', r.error, undefined, 'warning'));
    if (r.notebookUrl) out.push(new LinkNode(r, 'colab', 'Notebook on Colab', vscode.Uri.parse(r.notebookUrl), 'link-external'));
    if (r.folderUrl) out.push(new LinkNode(r, 'folder', 'Results folder on Drive', vscode.Uri.parse(r.folderUrl), 'folder-opened'));
    if (r.screenshot) out.push(new LinkNode(r, 'shot', "Screenshot of Colab's page", vscode.Uri.file(r.screenshot), 'device-camera'));
    if (r.output) out.push(new LinkNode(r, 'output', 'Executed notebook', vscode.Uri.file(r.output), 'notebook'));
    if (r.downloadedTo)
      out.push(new LinkNode(r, 'downloaded', `Downloaded to ${vscode.workspace.asRelativePath(r.downloadedTo)}`, vscode.Uri.file(r.downloadedTo), 'folder'));
    for (const f of r.files ?? []) out.push(new ResultFileNode(r, f));
    for (const f of r.written ?? []) out.push(new WrittenFileNode(r, f));
    return out;
  }
}

export class LinkNode {
  readonly kind = 'link';
  constructor(
    readonly run: NotebookRunRecord,
    private readonly key: string,
    private readonly label: string,
    readonly target: vscode.Uri | undefined,
    private readonly icon: string,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.run.id}:${this.key}`;
    item.contextValue = `notebookLink.${this.key}`;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    if (this.target) {
      const folder = this.key === 'downloaded';
      item.command = folder
        ? { title: 'Reveal', command: 'revealInExplorer', arguments: [this.target] }
        : { title: 'Open', command: 'vscode.open', arguments: [this.target] };
      item.tooltip = this.target.scheme === 'file' ? this.target.fsPath : this.target.toString();
    } else item.tooltip = this.label;
    item.accessibilityInformation = { label: this.label };
    return item;
  }

  children(): NotebookTreeNode[] {
    return [];
  }
}

export class ResultFileNode {
  readonly kind = 'file';
  constructor(
    readonly run: NotebookRunRecord,
    readonly file: RunFile,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const f = this.file;
    const item = new vscode.TreeItem(f.path, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.run.id}:file:${f.path}`;
    item.contextValue = 'notebookResultFile';
    item.resourceUri = vscode.Uri.parse(`airlock-drive:/${f.path}`);
    item.iconPath = vscode.ThemeIcon.File;
    item.description = f.size !== undefined ? formatBytes(Number(f.size)) : '';
    item.tooltip = `${f.path} on Drive — click to download and open it`;
    item.command = { title: 'Open Result File', command: commandIds.notebookOpenResult, arguments: [this] };
    item.accessibilityInformation = { label: `${f.path} ${item.description}` };
    return item;
  }

  children(): NotebookTreeNode[] {
    return [];
  }
}

/** A file a Jupyter run wrote on its server; Download Results fetches it (and the rest). */
export class WrittenFileNode {
  readonly kind = 'written';
  constructor(
    readonly run: NotebookRunRecord,
    readonly file: { path: string; size?: number },
  ) {}

  toTreeItem(): vscode.TreeItem {
    const f = this.file;
    const item = new vscode.TreeItem(f.path, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.run.id}:written:${f.path}`;
    item.contextValue = 'notebookWrittenFile';
    item.resourceUri = vscode.Uri.parse(`airlock-jupyter:/${f.path}`);
    item.iconPath = vscode.ThemeIcon.File;
    item.description = f.size !== undefined ? formatBytes(f.size) : '';
    item.tooltip = `${f.path}, written on ${this.run.target} — click to download the run's results and open it`;
    item.command = { title: 'Download Results', command: commandIds.notebookDownloadResults, arguments: [this.run.id] };
    item.accessibilityInformation = { label: `${f.path} ${item.description}` };
    return item;
  }

  children(): NotebookTreeNode[] {
    return [];
  }
}

function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

/** The Notebooks view's data; elapsed times tick only for active runs and only while the view is shown. */
export function createNotebookRunsTree(
  model: NotebookRunsModel,
): vscode.TreeDataProvider<NotebookTreeNode> & vscode.Disposable & { refresh: TreeRefresh<NotebookTreeNode> } {
  // Cached per run so the tick redraws just the running rows.
  const nodes = new Map<string, RunNode>();
  const nodeFor = (r: NotebookRunRecord) => {
    const n = nodes.get(r.id);
    if (n && n.run === r) return n;
    const fresh = new RunNode(r);
    nodes.set(r.id, fresh);
    return fresh;
  };
  const refresh = new TreeRefresh<NotebookTreeNode>({ runningNodes: () => model.runs.filter(runIsActive).map(nodeFor) });
  // A change to a listed run redraws its row; a new or removed run redraws the list.
  const sub = model.onDidChange((r) => (r && nodes.get(r.id)?.run === r ? refresh.changed(nodes.get(r.id)!) : refresh.changed()));
  return {
    refresh,
    onDidChangeTreeData: refresh.onDidChangeTreeData,
    getTreeItem: (n) => n.toTreeItem(),
    getChildren: (n) => {
      if (n) return n.children();
      const roots = model.runs.map(nodeFor);
      for (const id of [...nodes.keys()]) if (!model.runs.some((r) => r.id === id)) nodes.delete(id);
      return roots;
    },
    dispose: () => (sub.dispose(), refresh.dispose()),
  };
}
