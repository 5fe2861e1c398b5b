import * as vscode from 'vscode';
import { commandIds } from '../../../ids';
import { checkJupyterJobOptions, type JupyterJobOptions, type JupyterJobProgress } from '../../../core/slurm/jupyterJob';
import { errorMessage } from '../../../core/text/errorMessage';
import { withCancellableProgress } from '../../progress';
import { pickCluster, type ClusterTarget } from './slurmCommandDeps';
import type { SlurmJupyterCommandDeps } from './slurmJupyterDeps';

const invalid = (o: JupyterJobOptions): string | undefined => {
  try {
    checkJupyterJobOptions(o);
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
};

function progressText(p: JupyterJobProgress): string {
  if (p.kind === 'pending')
    return p.reason === 'None' ? `job ${p.jobId} submitted, not scheduled yet` : `job ${p.jobId} pending (${p.reason}) — Cancel runs scancel`;
  if (p.kind === 'starting') return `job ${p.jobId} runs on ${p.node}; waiting for Jupyter to listen…`;
  return `Jupyter listens on ${p.node}; tunnelling through the login node…`;
}

/**
 * Slurm: Start Jupyter on Slurm… — partition, GRES and time limit (defaults: the default
 * partition, gpu:1 where it has GPUs, 4:00:00), then the job: progress says Slurm's pending
 * reason, Cancel is scancel. The running server is a row under the cluster (Open Jupyter, Stop),
 * a target in Dispatch Notebook… and a kernel in the notebook kernel picker. `options` given
 * (tests, keybindings): nothing is asked.
 */
export async function startSlurmJupyter(deps: SlurmJupyterCommandDeps, arg?: ClusterTarget, options?: JupyterJobOptions): Promise<string | undefined> {
  const host = await pickCluster(deps, arg, 'Start Jupyter on which cluster?');
  if (!host) return undefined;
  const opts = options ?? (await askOptions(deps, host));
  if (!opts) return undefined;
  const setup = deps.setup();
  const full: JupyterJobOptions = { ...(setup && opts.setup === undefined ? { setup } : {}), ...opts };
  checkJupyterJobOptions(full);
  const runner = deps.hosts.runner(host);
  const s = await withCancellableProgress(`Airlock: Jupyter on ${host}`, (signal, report) => {
    report('submitting the job (sbatch)…');
    return deps.jupyter.start(runner, full, signal, (p) => report(progressText(p)));
  });
  deps.clusters.watch(host);
  void deps.clusters.load(host);
  const server = s.server!;
  void vscode.window
    .showInformationMessage(
      `Airlock: Jupyter runs on ${server.node} (job ${server.jobId} on ${host}), tunnelled to ${server.url}. Stop it from its row; closing this window stops it too.`,
      'Open Jupyter',
      'Dispatch Notebook…',
    )
    .then((a) => {
      if (a === 'Open Jupyter') void vscode.commands.executeCommand(commandIds.slurmOpenJupyter, s.key);
      if (a === 'Dispatch Notebook…')
        void vscode.commands.executeCommand(commandIds.notebookDispatch, undefined, {
          target: { server: `slurm:${s.key}`, label: `${host} ${server.node} (job ${server.jobId})` },
        });
    });
  return s.key;
}

async function askOptions(deps: SlurmJupyterCommandDeps, host: string): Promise<JupyterJobOptions | undefined> {
  const state = await withCancellableProgress(`Airlock: reading the partitions of ${host}…`, async () => {
    await deps.clusters.load(host);
    const v = deps.clusters.view(host);
    if (v?.error) throw new Error(`${host}: ${v.error}`);
    return v?.state;
  });
  const title = (step: number) => `Start Jupyter on ${host} (${step}/3)`;
  const parts = state?.partitions ?? [];
  let partition: string | undefined;
  if (parts.length > 1) {
    const items = parts
      .map((p) => ({
        label: p.name,
        description: [
          p.name === state?.defaultPartition ? 'default' : '',
          p.gpusTotal ? `GPUs ${p.gpusTotal - p.gpusUsed}/${p.gpusTotal} free` : 'no GPUs',
          `${p.nodes.idle + p.nodes.mixed} of ${p.nodeCount} nodes free`,
        ]
          .filter(Boolean)
          .join(' · '),
      }))
      .sort((a, b) => Number(b.label === state?.defaultPartition) - Number(a.label === state?.defaultPartition));
    const picked = await vscode.window.showQuickPick(items, { title: title(1), placeHolder: 'Partition', ignoreFocusOut: true });
    if (!picked) return undefined;
    partition = picked.label === state?.defaultPartition ? undefined : picked.label;
  }
  const part = parts.find((p) => p.name === (partition ?? state?.defaultPartition)) ?? parts[0];
  const gres = await vscode.window.showInputBox({
    title: title(2),
    prompt: 'GRES for the server (empty: none), e.g. gpu:1 or gpu:a100:1 — the kernel sees only these GPUs',
    value: part?.gpusTotal ? 'gpu:1' : '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? invalid({ gres: v.trim() }) : undefined),
  });
  if (gres === undefined) return undefined;
  const time = await vscode.window.showInputBox({
    title: title(3),
    prompt: 'Time limit (Slurm format: 30, 4:00:00, 1-00:00:00); the server ends with the job',
    value: '4:00:00',
    ignoreFocusOut: true,
    validateInput: (v) => invalid({ time: v.trim() }),
  });
  if (!time) return undefined;
  return { ...(partition ? { partition } : {}), ...(gres.trim() ? { gres: gres.trim() } : {}), time: time.trim() };
}
