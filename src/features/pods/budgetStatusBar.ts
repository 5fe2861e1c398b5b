// The status bar's "spend today against the budget" while airlock.pods.budgetPerDay is set: billed
// spend from REST v2's billing endpoint (on GraphQL an uptime estimate), re-read at most every 5 min
// when the pods change, so the poll loop does not double RunPod traffic.
import * as vscode from 'vscode';
import { markdown, tooltip } from '../tree/tooltip';
import { spendToday } from '../../core/pods/budget';
import { formatDollars, totalHourlyCost } from '../../core/pods/cost';
import { readSettings } from '../settings';
import type { PodsModel } from './podsModel';

const minIntervalMs = 5 * 60_000;

export function createBudgetStatusBar(model: PodsModel): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('airlock.pods.budget', vscode.StatusBarAlignment.Left, 40);
  item.name = 'Airlock Pod Budget';
  item.command = 'airlock.pods.refresh';
  let readAt = 0;
  let spent: { spent: number; source: 'billing' | 'estimate' } | undefined;
  const update = async () => {
    const budget = readSettings().podsBudgetPerDay;
    if (!(budget > 0) || !model.hasKey) return item.hide();
    if (!spent || Date.now() - readAt > minIntervalMs) {
      const pr = await model.getProvider();
      if (!pr) return item.hide();
      try {
        spent = await spendToday(pr, model.pods);
        readAt = Date.now();
      } catch {
        return; // the Pods view shows RunPod errors; the status bar keeps its last figure
      }
    }
    const over = spent.spent > budget;
    item.text = `$(credit-card) ${formatDollars(spent.spent)} / ${formatDollars(budget)} today`;
    item.tooltip = tooltip([
      markdown`Pods today: **${formatDollars(spent.spent)}**${spent.source === 'estimate' ? ' (estimated from uptime; GraphQL has no billing)' : ' (RunPod billing)'} of the **${formatDollars(budget)}/day** budget.`,
      markdown`Billing now: ${formatDollars(totalHourlyCost(model.pods))}/hr.`,
    ]);
    item.backgroundColor = over ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  const sub = model.onDidChange(() => void update());
  return { dispose: () => (sub.dispose(), item.dispose()) };
}
