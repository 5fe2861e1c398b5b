import * as vscode from 'vscode';

/** A visible message in any tree: a config error, an unreachable reason, an empty state. */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly id: string,
    readonly message: string,
    readonly severity: 'info' | 'warning' | 'error',
    readonly command?: vscode.Command,
    readonly detail?: string,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(
      this.severity === 'error' ? 'error' : this.severity === 'warning' ? 'warning' : 'info',
      this.severity === 'error'
        ? new vscode.ThemeColor('errorForeground')
        : this.severity === 'warning'
          ? new vscode.ThemeColor('list.warningForeground')
          : undefined,
    );
    item.tooltip = this.detail ?? this.message;
    item.contextValue = `message.${this.severity}`;
    if (this.command) item.command = this.command;
    return item;
  }
  children(): never[] {
    return [];
  }
}

/** A message that opens `file` at `line` (1-based) when clicked: config problems in every tree. */
export function openAtLine(file: string, line: number): vscode.Command {
  const l = Math.max(0, line - 1);
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(file), { selection: new vscode.Range(l, 0, l, 0) }] };
}
