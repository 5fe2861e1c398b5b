// "Dispatch Notebook…": which notebook, where (Colab, a running pod, a Jupyter server), with which
// parameters (the template's form, only changed values), which GPU — then the run. Every step can
// also come as an argument (other extensions, tests, keybindings): nothing is asked that is given.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { NotebookRunRecord } from '../../core/notebook/notebookRun';
import { notebookParams, renderNotebook, type GpuChoice } from '../../core/notebook/render';
import { findLocalJupyterServers } from '../../core/notebook/localJupyter';
import { readSettings } from '../settings';
import { runOnColab } from './colabRun';
import { runOnJupyter } from './jupyterRunFeature';
import type { NotebookDeps } from './notebookDeps';
import { editParams } from './paramForm';
import { UserError } from '../../core/errors/userError';

export type DispatchTarget = 'colab' | { server: string; token?: string; label?: string };

export interface DispatchRequest {
  target?: DispatchTarget;
  /** Parameters to set; given (even empty), the form is not shown. */
  set?: Record<string, string>;
  gpu?: GpuChoice;
  showBrowser?: boolean;
  /** Run Again: the target the run had (`colab`, `pod:<id>`, `slurm:<cluster>:<job>`, a URL), offered first in the pick. */
  preferTarget?: string;
}

const tokenKey = (url: string) => `airlock.jupyter.token.${url}`;
const serversKey = 'airlock.jupyter.servers';
export const gpuChoices: GpuChoice[] = ['T4', 'L4', 'A100', 'V100', 'none'];

export async function pickNotebook(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.file(arg);
  const active = vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (active?.fsPath.endsWith('.ipynb')) return active;
  const found = await vscode.workspace.findFiles('**/*.ipynb', '{**/node_modules/**,**/*.executed.ipynb}', 500);
  if (!found.length) {
    const open = await vscode.window.showOpenDialog({ title, filters: { Notebooks: ['ipynb'] } });
    return open?.[0];
  }
  const picked = await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), u })),
    { placeHolder: title },
  );
  return picked?.u;
}

/** Remembers a Jupyter server (newest first) for the next pick. */
async function rememberServer(d: NotebookDeps, url: string): Promise<void> {
  const list = d.context.globalState.get<string[]>(serversKey) ?? [];
  await d.context.globalState.update(serversKey, [url, ...list.filter((u) => u !== url)].slice(0, 5));
}

/** The token for `server`: given, stored, or asked once and kept in secret storage. */
async function serverToken(d: NotebookDeps, server: string, given?: string): Promise<string | undefined> {
  if (given !== undefined) return given;
  const stored = await d.context.secrets.get(tokenKey(server));
  if (stored !== undefined) return stored;
  const token = await vscode.window.showInputBox({
    title: `Token for ${server}`,
    password: true,
    prompt: 'Kept in VS Code secret storage for this server (empty if it has none)',
    ignoreFocusOut: true,
  });
  if (token !== undefined) await d.context.secrets.store(tokenKey(server), token);
  return token;
}

async function pickTarget(d: NotebookDeps, withColab = true, prefer?: string): Promise<DispatchTarget | undefined> {
  type Item = vscode.QuickPickItem & { target?: DispatchTarget | 'other' };
  const pods = d.pods?.model.pods.filter((p) => p.state === 'running') ?? [];
  const slurm = d.slurmJupyter?.running() ?? [];
  const local = await findLocalJupyterServers();
  const servers = (d.context.globalState.get<string[]>(serversKey) ?? []).filter((u) => !local.some((l) => l.url === u));
  const items: Item[] = [
    {
      label: '$(cloud) Google Colab',
      description: `${readSettings().colabGpu} GPU · via Google Drive`,
      detail: 'Uploaded to Drive, run in a Colab runtime, followed through the status file the notebook writes',
      target: 'colab',
    },
    ...(pods.length ? [{ label: 'RunPod pods', kind: vscode.QuickPickItemKind.Separator } as Item] : []),
    ...pods.map((p): Item => ({
      label: `$(vm-running) ${p.name}`,
      description: `${p.gpuCount}× ${p.gpuName ?? p.gpuTypeId ?? 'GPU'} · $${p.costPerHour.toFixed(2)}/hr`,
      detail: "Its Jupyter server (SSH tunnel when one runs, RunPod's proxy otherwise)",
      target: { server: `pod:${p.id}`, label: p.name },
    })),
    ...(slurm.length ? [{ label: 'Slurm compute nodes', kind: vscode.QuickPickItemKind.Separator } as Item] : []),
    ...slurm.map((s): Item => ({
      label: `$(server-process) ${s.cluster} ${s.server.node}`,
      description: `job ${s.server.jobId}${s.options.gres ? ` · ${s.options.gres}` : ''}${s.options.partition ? ` · ${s.options.partition}` : ''}`,
      detail: `Its Jupyter server, tunnelled through the login node to ${s.server.url}`,
      target: { server: `slurm:${s.key}`, label: `${s.cluster} ${s.server.node} (job ${s.server.jobId})` },
    })),
    { label: 'Jupyter servers', kind: vscode.QuickPickItemKind.Separator },
    ...local.map((l): Item => ({
      label: `$(server-environment) ${l.url}`,
      description: 'running on this machine',
      detail: l.root ? `Serves ${l.root}` : undefined,
      target: { server: l.url, token: l.token, label: `this machine (${new URL(l.url).host})` },
    })),
    ...servers.map((s): Item => ({ label: `$(server) ${s}`, target: { server: s } })),
    { label: '$(add) Jupyter server…', detail: 'Any Jupyter server by URL: a lab machine, a local server', target: 'other' },
  ];
  const shown = items.filter((i) => withColab || i.target !== 'colab');
  const ref = (t: Item['target']) => (t === 'colab' ? 'colab' : t && t !== 'other' ? t.server : undefined);
  // Run Again: the run's own target comes first and is selected (a server no longer listed is added back).
  if (prefer && prefer !== 'colab' && !prefer.startsWith('pod:') && !prefer.startsWith('slurm:') && !shown.some((i) => ref(i.target) === prefer))
    shown.splice(shown.length - 1, 0, { label: `$(server) ${prefer}`, target: { server: prefer } });
  const preferred = prefer ? shown.find((i) => ref(i.target) === prefer) : undefined;
  if (preferred) {
    shown.splice(shown.indexOf(preferred), 1);
    shown.unshift({ ...preferred, description: [preferred.description, 'this run’s target'].filter(Boolean).join(' · ') });
  }
  const picked = await vscode.window.showQuickPick(shown, {
    title: withColab ? 'Dispatch to…' : 'Run on which Jupyter server?',
    ignoreFocusOut: true,
    matchOnDetail: true,
  });
  if (!picked?.target) return undefined;
  if (picked.target !== 'other') return picked.target;
  const url = await vscode.window.showInputBox({
    title: 'Jupyter server URL',
    value: servers[0] ?? 'http://127.0.0.1:8888/',
    prompt: 'A pod, a lab machine or a local server',
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/[^/]+/.test(v.trim()) ? undefined : 'an http:// or https:// URL'),
  });
  return url ? { server: url.trim() } : undefined;
}

/** Resolves a pod target to its Jupyter URL and password. */
async function resolveServer(d: NotebookDeps, t: Exclude<DispatchTarget, 'colab'>): Promise<{ server: string; token?: string; label?: string } | undefined> {
  if (t.server.startsWith('slurm:')) {
    const s = d.slurmJupyter?.byTarget(t.server);
    if (!s) throw new UserError(`the Jupyter job ${t.label ?? t.server.slice(6)} is not running any more — Start Jupyter on Slurm… starts a new one`);
    return { server: s.url, token: s.token, label: t.label ?? `${s.cluster} ${s.node} (job ${s.jobId})` };
  }
  if (!t.server.startsWith('pod:')) return t;
  const id = t.server.slice(4);
  const ep = await d.pods?.jupyterEndpoint(id);
  if (!ep) throw new Error(`pod ${t.label ?? id} has no Jupyter endpoint — is it running with port 8888/http?`);
  return { server: ep.url, token: ep.token, label: t.label ?? id };
}

/** `jupyterOnly`: Run Notebook on Jupyter Server… (no Colab in the list). */
export async function dispatchNotebook(d: NotebookDeps, arg?: unknown, req: DispatchRequest = {}, jupyterOnly = false): Promise<NotebookRunRecord | undefined> {
  const source = await pickNotebook(arg, jupyterOnly ? 'Run which notebook?' : 'Dispatch which notebook?');
  if (!source) return undefined;
  const text = Buffer.from(await vscode.workspace.fs.readFile(source)).toString('utf8');
  const target = req.target ?? (await pickTarget(d, !jupyterOnly, req.preferTarget));
  if (!target) return undefined;
  const fileName = basename(source.fsPath);
  const { params } = notebookParams(text, fileName);
  const set =
    req.set ??
    (params.length
      ? await editParams(params, `${fileName} → ${target === 'colab' ? 'Colab' : (target.label ?? target.server)}: parameters`, 'Dispatch with these values')
      : {});
  if (!set) return undefined;
  if (target === 'colab') {
    const gpu =
      req.gpu ??
      ((
        await vscode.window.showQuickPick(
          gpuChoices.map((g) => ({ label: g, description: g === readSettings().colabGpu ? 'default' : g === 'none' ? 'CPU runtime' : '' })),
          { title: 'Colab runtime', placeHolder: readSettings().colabGpu, ignoreFocusOut: true },
        )
      )?.label as GpuChoice | undefined);
    if (!gpu) return undefined;
    // Render errors (an unknown parameter, a bad value, a secret) are the user's to fix: say so before anything is uploaded.
    await renderNotebook(text, fileName, { set, gpu });
    return runOnColab(d, { source, templateText: text, set, gpu, ...(req.showBrowser !== undefined ? { showBrowser: req.showBrowser } : {}) });
  }
  const where = await resolveServer(d, target);
  if (!where) return undefined;
  const token = await serverToken(d, where.server, where.token);
  if (token === undefined) return undefined;
  if (!target.server.startsWith('pod:') && !target.server.startsWith('slurm:')) await rememberServer(d, where.server);
  const rendered = Object.keys(set).length ? (await renderNotebook(text, fileName, { set })).text : text;
  return runOnJupyter(d, {
    source,
    text: rendered,
    server: where.server,
    token,
    targetRef: target.server,
    ...(where.label ? { target: where.label } : {}),
    params: set,
  });
}
