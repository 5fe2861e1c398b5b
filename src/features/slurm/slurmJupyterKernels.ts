// Jupyter servers on Slurm compute nodes as servers in the notebook kernel picker, through the
// Jupyter extension's server-collection API (ms-toolsai.jupyter) — the way running pods are
// offered (features/pods/jupyterServers.ts). Registered when a notebook is first opened, so Airlock
// never activates the Jupyter extension needlessly. The URL is the tunnel's end on this machine.
import * as vscode from 'vscode';
import type { SlurmJupyterSessions } from './slurmJupyterSessions';

interface JupyterServer {
  id: string;
  label: string;
  connectionInformation?: { baseUrl: vscode.Uri; token?: string };
}

interface JupyterApi {
  createJupyterServerCollection(
    id: string,
    label: string,
    provider: {
      onDidChangeServers?: vscode.Event<void>;
      provideJupyterServers(token: vscode.CancellationToken): Promise<JupyterServer[]>;
      resolveJupyterServer(server: JupyterServer, token: vscode.CancellationToken): Promise<JupyterServer>;
    },
  ): vscode.Disposable;
}

export function registerSlurmJupyterServers(sessions: SlurmJupyterSessions): vscode.Disposable {
  const subs: vscode.Disposable[] = [];
  let registered = false;
  const changed = new vscode.EventEmitter<void>();
  subs.push(
    changed,
    sessions.onDidChange(() => changed.fire()),
  );
  const servers = (): JupyterServer[] =>
    sessions.running().map((s) => ({
      id: s.key,
      label: `${s.cluster} ${s.server.node} (Slurm job ${s.server.jobId})`,
      connectionInformation: { baseUrl: vscode.Uri.parse(s.server.url), token: s.server.token },
    }));
  const register = async () => {
    const ext = vscode.extensions.getExtension<JupyterApi>('ms-toolsai.jupyter');
    if (registered || !ext) return;
    registered = true;
    const api = ext.isActive ? ext.exports : await ext.activate();
    if (typeof api?.createJupyterServerCollection !== 'function') return;
    subs.push(
      api.createJupyterServerCollection('airlock.slurmJupyter', 'Airlock: Jupyter on Slurm', {
        onDidChangeServers: changed.event,
        provideJupyterServers: async () => servers(),
        resolveJupyterServer: async (s) => {
          const live = servers().find((x) => x.id === s.id);
          if (!live) throw new Error(`the Slurm Jupyter job ${s.id} is not running any more — Start Jupyter on Slurm… starts a new one`);
          return live;
        },
      }),
    );
  };
  if (vscode.workspace.notebookDocuments.length) void register();
  else subs.push(vscode.workspace.onDidOpenNotebookDocument(() => void register()));
  return { dispose: () => subs.forEach((d) => d.dispose()) };
}
