import * as vscode from 'vscode';
import { contextKeys, viewIds } from '../../ids';
import type { HostsFeature } from '../hosts/hostsFeature';
import { onSettingsChanged, readSettings } from '../settings';
import { jupyterSecret, podCommands } from './commands';
import { CostGuard } from './costGuard';
import { PodsModel } from './podsModel';
import { PodsTreeProvider } from './podsTreeProvider';
import type { Tunnel } from '../../core/pods/tunnel';
import { registerPodJupyterServers } from './jupyterServers';
import { createBudgetStatusBar } from './budgetStatusBar';

export interface PodsFeature {
  model: PodsModel;
  commands: ReturnType<typeof podCommands>;
  tunnels: Map<string, Tunnel>;
  /** Where a running pod's Jupyter answers, with its token (the pod's Jupyter password). */
  jupyterEndpoint(podId: string): Promise<{ url: string; token: string } | undefined>;
}

/** The Pods view, its commands and the cost guard. Polls while the view is visible or pods run. */
export function createPodsFeature(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, hosts: HostsFeature): PodsFeature {
  const model = new PodsModel(context.secrets, () => readSettings().podsEndpoint, context.extension.packageJSON.version as string, () => readSettings().podsApi);
  const tunnels = new Map<string, Tunnel>();
  const tree = new PodsTreeProvider(model, (id) => tunnels.get(id)?.localPort);
  const view = vscode.window.createTreeView(viewIds.pods, { treeDataProvider: tree, showCollapseAll: true });
  const onTunnelsChanged = () => {
    void vscode.commands.executeCommand('setContext', contextKeys.podsTunnels, tunnels.size > 0);
    tree.refresh();
  };
  const commands = podCommands({ model, hosts, secrets: context.secrets, log, tunnels, onTunnelsChanged });
  const guard = new CostGuard(model, (pod, why) => commands.stopPod(pod, why).catch((e: Error) => void vscode.window.showErrorMessage(`Airlock: could not stop ${pod.name} — ${e.message}`)));
  model.onDidChange(() => {
    void vscode.commands.executeCommand('setContext', contextKeys.podsLoaded, model.loaded);
    void vscode.commands.executeCommand('setContext', contextKeys.podsKey, model.hasKey);
    void vscode.commands.executeCommand('setContext', contextKeys.podsEmpty, model.hasKey && !model.error && model.pods.length === 0);
  });
  // Poll while the view is visible, and while pods run (the cost guard watches them even when hidden).
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!view.visible && !model.running.length && model.loaded) return;
    timer = setTimeout(() => void model.refresh().finally(schedule), readSettings().podsRefreshIntervalSec * 1000);
  };
  context.subscriptions.push(
    model, tree, view, guard,
    view.onDidChangeVisibility((e) => e.visible && void model.refresh().finally(schedule)),
    // A pod created or resumed while the view is hidden starts the polling the cost guard needs.
    model.onDidChange(() => timer === undefined && model.running.length > 0 && schedule()),
    context.secrets.onDidChange((e) => e.key.startsWith('airlock.runpod') && void model.forgetKey()),
    onSettingsChanged(() => void model.forgetKey()),
    { dispose: () => (clearTimeout(timer), tunnels.forEach((t) => t.close())) },
  );
  const jupyterPassword = async (id: string) => (await context.secrets.get(jupyterSecret(id))) ?? (await (await model.getProvider())?.jupyterPassword(id));
  context.subscriptions.push(createBudgetStatusBar(model));
  context.subscriptions.push(registerPodJupyterServers(model, jupyterPassword, async (id) => (await model.getProvider())?.proxyUrl(id, 8888)));
  // At start-up: one poll, so the cost guard can remind of pods left running.
  void model.refresh().finally(schedule);
  return {
    model, commands, tunnels,
    async jupyterEndpoint(id) {
      // A running SSH tunnel is the direct way in; otherwise RunPod's proxy.
      const port = tunnels.get(id)?.localPort;
      const url = port ? `http://127.0.0.1:${port}/` : await (await model.getProvider())?.proxyUrl(id, 8888);
      return url ? { url, token: (await jupyterPassword(id)) ?? '' } : undefined;
    },
  };
}
