// The status bar's "spend today against the budget" while airlock.pods.budgetPerDay or
// airlock.pods.projectBudgets is set: billed spend from REST v2's billing endpoint (on GraphQL an
// uptime estimate), re-read at most every 5 min when the pods change, so the poll loop does not
// double RunPod traffic — and between reads the figure ticks with what the billing pods add.
import * as vscode from 'vscode';
import { markdown, tooltip } from '../tree/tooltip';
import { podProject, spendNow, spendToday, type SpendToday } from '../../core/pods/budget';
import { formatDollars, totalHourlyCost } from '../../core/pods/cost';
import { readSettings } from '../settings';
import type { PodsModel } from './podsModel';

const minIntervalMs = 5 * 60_000;
const tickMs = 15_000;

export interface BudgetLine {
  /** undefined: the account's budget. */
  project?: string;
  spent: number;
  budget: number;
}

export interface BudgetStatusBar extends vscode.Disposable {
  /** What the item shows now (undefined while hidden), for the extension-host tests. */
  readonly shown: { text: string; lines: BudgetLine[]; over: boolean } | undefined;
  /** Recomputes now (the timer and pod changes call it). */
  update(): Promise<void>;
}

export function createBudgetStatusBar(model: PodsModel): BudgetStatusBar {
  const item = vscode.window.createStatusBarItem('airlock.pods.budget', vscode.StatusBarAlignment.Left, 40);
  item.name = 'Airlock Pod Budget';
  item.command = 'airlock.pods.refresh';
  let readAt = 0;
  let spent: SpendToday | undefined;
  let shown: BudgetStatusBar['shown'];
  const hide = () => ((shown = undefined), item.hide());
  const update = async () => {
    const s = readSettings();
    const budget = s.podsBudgetPerDay;
    const projects = Object.entries(s.podsProjectBudgets);
    if ((!(budget > 0) && !projects.length) || !model.hasKey) return hide();
    if (!spent || Date.now() - readAt > minIntervalMs) {
      const pr = await model.getProvider();
      if (!pr) return hide();
      try {
        spent = await spendToday(pr, model.pods);
        readAt = Date.now();
      } catch {
        return; // the Pods view shows RunPod errors; the status bar keeps its last figure
      }
    }
    const now = Date.now();
    const lines: BudgetLine[] = [];
    if (budget > 0) lines.push({ spent: spendNow(spent.spent, totalHourlyCost(model.pods), readAt, now), budget });
    for (const [project, b] of projects) {
      const hourly = totalHourlyCost(model.pods.filter((p) => podProject(p) === project));
      lines.push({ project, spent: spendNow(spent.byProject.get(project) ?? 0, hourly, readAt, now), budget: b });
    }
    const over = lines.some((l) => l.spent > l.budget);
    const figure = (l: BudgetLine) => `${l.project ? `${l.project} ` : ''}${formatDollars(l.spent)} / ${formatDollars(l.budget)}`;
    const text = `$(credit-card) ${(budget > 0 ? lines.slice(0, 1) : lines).map(figure).join(' · ')} today`;
    item.text = text;
    const source = spent.source === 'estimate' ? ' (estimated from uptime; GraphQL has no billing)' : ' (RunPod billing, plus the billing pods since)';
    item.tooltip = tooltip([
      ...lines.map((l) =>
        l.project
          ? markdown`Project **${l.project}** today: **${formatDollars(l.spent)}** of **${formatDollars(l.budget)}/day**.`
          : markdown`Pods today: **${formatDollars(l.spent)}**${source} of the **${formatDollars(l.budget)}/day** budget.`,
      ),
      markdown`Billing now: ${formatDollars(totalHourlyCost(model.pods))}/hr.`,
      ...(spent.unattributed > 0 && projects.length
        ? [markdown`${formatDollars(spent.unattributed)} today came from pods since terminated: RunPod's billing names no project for them.`]
        : []),
    ]);
    item.backgroundColor = over ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    shown = { text, lines, over };
    item.show();
  };
  const sub = model.onDidChange(() => void update());
  const timer = setInterval(() => void update(), tickMs);
  return {
    get shown() {
      return shown;
    },
    update,
    dispose: () => (clearInterval(timer), sub.dispose(), item.dispose()),
  };
}
