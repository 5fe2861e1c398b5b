import * as vscode from 'vscode';
import { contextKeys, viewIds } from '../../ids';
import type { Tunnel } from '../../core/pods/tunnel';
import { endpointLabel, podHostName } from '../../core/pods/endpoints';
import { presentError } from '../presentError';
import type { HostsFeature } from '../hosts/hostsFeature';
import type { LogsFeature } from '../logs/logsFeature';
import { onSettingsChanged, readSettings } from '../settings';
import { TreeRefresh } from '../tree/treeRefresh';
import { jupyterSecret, stopPodAndTunnel, type PodCommandDeps } from './commands/podCommandDeps';
import { CostGuard } from './costGuard';
import type { PodsTreeNode } from './podNodes';
import { PodsModel } from './podsModel';
import { PodsTreeProvider } from './podsTreeProvider';
import { registerPodJupyterServers } from './jupyterServers';
import { createBudgetStatusBar, type BudgetStatusBar } from './budgetStatusBar';

export interface PodsFeature {
  model: PodsModel;
  /** What the pod commands work with. */
  commandDeps: PodCommandDeps;
  refresh: TreeRefresh<PodsTreeNode>;
  /** The view's rows (what the tests read). */
  tree: PodsTreeProvider;
  tunnels: Map<string, Tunnel>;
  /** Spend today against the daily budgets (account and per project). */
  budgetBar: BudgetStatusBar;
  /** Where a running pod's Jupyter answers, with its token (the pod's Jupyter password). */
  jupyterEndpoint(podId: string): Promise<{ url: string; token: string } | undefined>;
}

/** The Pods view and the cost guard. Polls while the view is visible, and while pods run even when hidden. */
export function createPodsFeature(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, hosts: HostsFeature, logs: LogsFeature): PodsFeature {
  const model = new PodsModel(
    context.secrets,
    () => readSettings().podsEndpoint,
    context.extension.packageJSON.version as string,
    () => readSettings().podsApi,
    ({ waitSec }) => log.warn(`RunPod is busy (rate limit or server error); retrying in ${waitSec} s`),
  );
  const tunnels = new Map<string, Tunnel>();
  // The cost guard watches running pods even while the view is hidden; before the first load there is nothing to guard yet.
  const refresh: TreeRefresh<PodsTreeNode> = new TreeRefresh<PodsTreeNode>({
    intervalSec: () => readSettings().podsRefreshIntervalSec,
    load: () => model.refresh(),
    keepPolling: () => !model.loaded || model.running.length > 0,
    // The running pods' rows: their uptime and cost so far tick while the view is shown.
    runningNodes: (): PodsTreeNode[] => tree.runningNodes(),
  });
  const tree: PodsTreeProvider = new PodsTreeProvider(
    model,
    (id) => tunnels.get(id)?.localPort,
    refresh,
    (pod) => hosts.model.bundle(podHostName(pod)),
  );
  const view = vscode.window.createTreeView(viewIds.pods, { treeDataProvider: tree, showCollapseAll: true });
  // Not RunPod's own API (the demo's fake, a proxy): the view's title says so.
  const label = () => (view.description = endpointLabel(readSettings().podsEndpoint, process.env.AIRLOCK_RUNPOD_ENDPOINT_LABEL));
  label();
  const onTunnelsChanged = () => {
    void vscode.commands.executeCommand('setContext', contextKeys.podsTunnels, tunnels.size > 0);
    refresh.changed();
  };
  const commandDeps: PodCommandDeps = { model, hosts, logs, secrets: context.secrets, log, tunnels, onTunnelsChanged, refresh };
  const guard = new CostGuard(model, (pod, why) =>
    stopPodAndTunnel(commandDeps, pod, why).catch((e: unknown) => void presentError(e, { what: `Stopping ${pod.name}`, log })),
  );
  model.onDidChange(() => {
    void vscode.commands.executeCommand('setContext', contextKeys.podsLoaded, model.loaded);
    void vscode.commands.executeCommand('setContext', contextKeys.podsKey, model.hasKey);
    void vscode.commands.executeCommand('setContext', contextKeys.podsEmpty, model.hasKey && !model.error && model.pods.length === 0);
  });
  context.subscriptions.push(
    model,
    refresh,
    view,
    guard,
    // An export or a drift check on a pod changes its Code row.
    hosts.model.onDidChange(() => refresh.changed()),
    // A pod created or resumed while the view is hidden starts the polling the cost guard needs.
    model.onDidChange(() => (refresh.changed(), refresh.reschedule())),
    context.secrets.onDidChange((e) => e.key.startsWith('airlock.runpod') && void model.forgetKey()),
    onSettingsChanged(() => (void model.forgetKey(), refresh.reschedule(), label())),
    { dispose: () => tunnels.forEach((t) => t.close()) },
  );
  const jupyterPassword = async (id: string) => (await context.secrets.get(jupyterSecret(id))) ?? (await (await model.getProvider())?.jupyterPassword(id));
  const budgetBar = createBudgetStatusBar(model);
  context.subscriptions.push(budgetBar);
  context.subscriptions.push(registerPodJupyterServers(model, jupyterPassword, async (id) => (await model.getProvider())?.proxyUrl(id, 8888)));
  // At start-up: one poll (keepPolling holds until loaded), so the cost guard can remind of pods left running.
  refresh.attach(view);
  return {
    model,
    commandDeps,
    refresh,
    tree,
    tunnels,
    budgetBar,
    async jupyterEndpoint(id) {
      // A running SSH tunnel is the direct way in; otherwise RunPod's proxy.
      const port = tunnels.get(id)?.localPort;
      const url = port ? `http://127.0.0.1:${port}/` : await (await model.getProvider())?.proxyUrl(id, 8888);
      return url ? { url, token: (await jupyterPassword(id)) ?? '' } : undefined;
    },
  };
}
