// A Jupyter server started on a Slurm compute node, as a row under its cluster in the Hosts view:
// pending (with Slurm's reason), starting, or running with its tunnel — Open Jupyter / Stop.
import * as vscode from 'vscode';
import { formatDuration } from '../../core/text/duration';
import { code, markdown, tooltip } from '../tree/tooltip';
import type { SlurmJupyterSession } from './slurmJupyterSessions';

export class SlurmJupyterNode {
  readonly kind = 'slurmJupyter';
  constructor(public session: SlurmJupyterSession) {}

  get key(): string {
    return this.session.key;
  }

  toTreeItem(): vscode.TreeItem {
    const s = this.session;
    const item = new vscode.TreeItem(`Jupyter${s.node ? ` on ${s.node}` : ''}`, vscode.TreeItemCollapsibleState.None);
    item.id = `cluster:${s.cluster}:jupyter:${s.key}`;
    item.contextValue = `slurmJupyter.${s.phase}`;
    const running = s.phase === 'running' && s.server;
    item.iconPath = new vscode.ThemeIcon(running ? 'notebook' : s.phase === 'pending' ? 'clock' : 'loading~spin');
    const where = running ? new URL(s.server!.url).host : '';
    item.description = [
      s.jobId ? `job ${s.jobId}` : 'submitting',
      s.phase === 'pending' ? `pending (${s.reason && s.reason !== 'None' ? s.reason : 'not scheduled yet'})` : s.phase === 'running' ? '' : s.phase,
      where,
      running ? formatDuration(Date.now() - s.server!.startedAt) : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const o = s.options;
    item.tooltip = tooltip([
      markdown`**Jupyter on Slurm** — ${s.cluster}${s.jobId ? `, job ${s.jobId}` : ''}`,
      running && markdown`Tunnelled to ${code(s.server!.url)} from ${code(`${s.server!.address}:${s.server!.remotePort}`)} on ${s.server!.node}`,
      markdown`Partition ${o.partition ?? '(default)'} · GRES ${o.gres ?? 'none'} · time ${o.time ?? '(partition default)'}`,
      s.phase === 'pending' && markdown`Pending: ${s.reason ?? 'None'}`,
      'Stop cancels the job (scancel). Closing this window stops it too.',
    ]);
    if (running) item.command = { title: 'Open Jupyter', command: 'airlock.slurm.openJupyter', arguments: [this] };
    item.accessibilityInformation = { label: `${item.label as string} ${item.description as string}` };
    return item;
  }

  children(): never[] {
    return [];
  }
}

/** Row objects kept per session, so a redraw of one server does not swap the others out. */
export class SlurmJupyterRows {
  private readonly rows = new Map<string, SlurmJupyterNode>();

  nodes(sessions: SlurmJupyterSession[]): SlurmJupyterNode[] {
    const out = sessions.map((s) => {
      const n = this.rows.get(s.key) ?? new SlurmJupyterNode(s);
      n.session = s;
      return n;
    });
    for (const k of [...this.rows.keys()]) if (!sessions.some((s) => s.key === k)) this.rows.delete(k);
    for (const n of out) this.rows.set(n.key, n);
    return out;
  }
}
