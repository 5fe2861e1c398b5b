// Running pods as Jupyter servers in the notebook kernel picker, through the Jupyter extension's
// server-collection API (ms-toolsai.jupyter). Registered when a notebook is first opened, as that
// API recommends, so Airlock never activates the Jupyter extension needlessly.
import * as vscode from 'vscode';
import type { PodsModel } from './podsModel';

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

export function registerPodJupyterServers(
  model: PodsModel,
  password: (podId: string) => Promise<string | undefined>,
  proxyUrl: (podId: string) => Promise<string | undefined>,
): vscode.Disposable {
  const subs: vscode.Disposable[] = [];
  let registered = false;
  const changed = new vscode.EventEmitter<void>();
  subs.push(
    changed,
    model.onDidChange(() => changed.fire()),
  );
  const register = async () => {
    const ext = vscode.extensions.getExtension<JupyterApi>('ms-toolsai.jupyter');
    if (registered || !ext) return;
    registered = true;
    const api = ext.isActive ? ext.exports : await ext.activate();
    if (typeof api?.createJupyterServerCollection !== 'function') return;
    const server = async (id: string, name: string): Promise<JupyterServer> => {
      const url = await proxyUrl(id);
      return {
        id,
        label: `${name} (RunPod)`,
        ...(url ? { connectionInformation: { baseUrl: vscode.Uri.parse(url), token: (await password(id)) ?? '' } } : {}),
      };
    };
    subs.push(
      api.createJupyterServerCollection('airlock.pods', 'Airlock: RunPod pods', {
        onDidChangeServers: changed.event,
        provideJupyterServers: async () => Promise.all(model.pods.filter((p) => p.state === 'running').map((p) => server(p.id, p.name))),
        resolveJupyterServer: async (s) => server(s.id, s.label.replace(/ \(RunPod\)$/, '')),
      }),
    );
  };
  if (vscode.workspace.notebookDocuments.length) void register();
  else subs.push(vscode.workspace.onDidOpenNotebookDocument(() => void register()));
  return { dispose: () => subs.forEach((d) => d.dispose()) };
}
