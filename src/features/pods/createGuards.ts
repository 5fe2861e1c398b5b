// What the editor's Create Pod adds for cost, beside commands.ts: the on-pod watchdog from settings,
// the daily budget (asks before a pod that would exceed it), and the hint that spot pods need the
// GraphQL API when REST v2 (which has none) is selected.
import * as vscode from 'vscode';
import { checkBudgets, spendToday } from '../../core/pods/budget';
import { podSshAccess } from '../../core/pods/sshAccess';
import type { PodProvider } from '../../core/pods/provider';
import type { PodOffer, WatchdogSpec } from '../../core/pods/types';
import type { AirlockSettings } from '../settings';

export const spotHintLabel = '$(info) Spot (interruptible) pods need the GraphQL API…';

/** A QuickPick row shown under the offers when REST v2 is selected. */
export function spotHintItem(s: AirlockSettings): { label: string; description: string; spotHint: true } | undefined {
  return s.podsApi === 'rest'
    ? { label: spotHintLabel, description: 'RunPod REST v2 rents on-demand only — pick to switch airlock.pods.api to graphql', spotHint: true }
    : undefined;
}

export async function offerGraphqlForSpot(): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    'RunPod REST API v2 has no spot (interruptible) pods. Switch the Pods view to the GraphQL API (it retires in early 2027)?',
    'Use GraphQL',
    'Open Setting',
  );
  if (choice === 'Use GraphQL') await vscode.workspace.getConfiguration('airlock').update('pods.api', 'graphql', vscode.ConfigurationTarget.Global);
  if (choice === 'Open Setting') await vscode.commands.executeCommand('workbench.action.openSettings', 'airlock.pods.api');
}

export function watchdogFromSettings(s: AirlockSettings): WatchdogSpec | undefined {
  if (!(s.podsIdleStopMinutes > 0 || s.podsMaxHours > 0)) return undefined;
  // A non-default endpoint (a proxy, the demo's fake) is where the pod's own stop goes too.
  const base = s.podsEndpoint ? s.podsEndpoint.replace(/\/+$/, '').replace(/\/graphql$/, '') : undefined;
  return { idleStopMinutes: s.podsIdleStopMinutes, maxHours: s.podsMaxHours, ...(base ? { apiBaseUrl: base } : {}) };
}

/** true = go ahead. Over the account's or the project's budget, a modal asks; no budget set, nothing is read. */
export async function confirmBudget(pr: PodProvider, offer: PodOffer, s: AirlockSettings, project?: string, signal?: AbortSignal): Promise<boolean> {
  if (!(s.podsBudgetPerDay > 0) && !(project && s.podsProjectBudgets[project])) return true;
  const pods = await pr.list(signal);
  const spent = await spendToday(pr, pods, signal);
  const over = checkBudgets({
    budgetPerDay: s.podsBudgetPerDay,
    projectBudgets: s.podsProjectBudgets,
    project,
    spent,
    pods,
    newPodPerHour: offer.pricePerHour,
  }).filter((c) => c.exceeds);
  if (!over.length) return true;
  const what = over.some((c) => c.project) ? `project "${project}"'s daily pod budget` : 'the daily pod budget';
  const go = await vscode.window.showWarningMessage(`Over ${what}: ${over.map((c) => c.message).join('; and ')}.`, { modal: true }, 'Create Anyway');
  return go === 'Create Anyway';
}

export const sshKeysUrl = 'https://www.runpod.io/console/user/settings';

/**
 * The pod environment that gives it SSH access, warning (not blocking: Jupyter works without SSH)
 * when the account has no SSH key and no identity with a .pub is configured.
 */
export async function sshAccessEnv(pr: PodProvider, s: AirlockSettings, log: vscode.LogOutputChannel, signal?: AbortSignal): Promise<Record<string, string>> {
  const access = await podSshAccess(pr, { identityFile: s.podsSshIdentityFile || undefined, identitySetting: 'airlock.pods.sshIdentityFile', signal });
  if (access.source === 'identity') log.info(`the RunPod account has no SSH key: sending ${s.podsSshIdentityFile}.pub to the pod as PUBLIC_KEY`);
  if (access.warning) {
    log.warn(access.warning);
    void vscode.window.showWarningMessage(`Airlock: ${access.warning}`, 'Open RunPod Settings', 'Set Identity File').then((a) => {
      if (a === 'Open RunPod Settings') void vscode.env.openExternal(vscode.Uri.parse(sshKeysUrl));
      if (a === 'Set Identity File') void vscode.commands.executeCommand('workbench.action.openSettings', 'airlock.pods.sshIdentityFile');
    });
  }
  return access.env;
}
