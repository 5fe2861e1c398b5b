// The daily budget: before a pod is created, project today's spend to midnight UTC — what was already
// billed today (REST v2 billing; on GraphQL the uptime × $/hr of running pods, a lower bound), plus
// every billing pod and the new one running until midnight — and compare it with budgetPerDay.
import { costSoFar, formatDollars, totalHourlyCost } from './cost';
import type { PodProvider } from './provider';
import type { PodInfo } from './types';

export interface BudgetCheck {
  budgetPerDay: number;
  spentToday: number;
  /** Where spentToday came from: the provider's billing, or estimated from uptime. */
  spentSource: 'billing' | 'estimate';
  hourlyNow: number;
  hoursLeftToday: number;
  /** spentToday + (hourlyNow + new pod) × hoursLeftToday. */
  projected: number;
  exceeds: boolean;
  message: string;
}

export function hoursUntilMidnightUtc(nowMs = Date.now()): number {
  const d = new Date(nowMs);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return (midnight - nowMs) / 3600_000;
}

export async function spendToday(
  provider: PodProvider,
  pods: readonly PodInfo[],
  signal?: AbortSignal,
): Promise<{ spent: number; source: 'billing' | 'estimate' }> {
  if (provider.spendSince) return { spent: (await provider.spendSince(undefined, signal)).total, source: 'billing' };
  return { spent: pods.reduce((s, p) => s + costSoFar(p), 0), source: 'estimate' };
}

export function checkBudget(o: {
  budgetPerDay: number;
  spentToday: number;
  spentSource: 'billing' | 'estimate';
  pods: readonly PodInfo[];
  newPodPerHour: number;
  nowMs?: number;
}): BudgetCheck {
  const hourlyNow = totalHourlyCost(o.pods);
  const hoursLeftToday = hoursUntilMidnightUtc(o.nowMs);
  const projected = o.spentToday + (hourlyNow + o.newPodPerHour) * hoursLeftToday;
  const exceeds = projected > o.budgetPerDay;
  const spent = `${formatDollars(o.spentToday)} spent today${o.spentSource === 'estimate' ? ' (estimated from uptime)' : ''}`;
  const message = `${spent}; with the pods billing now (${formatDollars(hourlyNow)}/hr) and this one (${formatDollars(o.newPodPerHour)}/hr) until midnight UTC that is ${formatDollars(projected)} of the ${formatDollars(o.budgetPerDay)}/day budget`;
  return { budgetPerDay: o.budgetPerDay, spentToday: o.spentToday, spentSource: o.spentSource, hourlyNow, hoursLeftToday, projected, exceeds, message };
}
