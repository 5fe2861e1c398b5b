// The daily budget: before a pod is created, project today's spend to midnight UTC — what was already
// billed today (REST v2 billing; on GraphQL the uptime × $/hr of running pods, a lower bound), plus
// every billing pod and the new one running until midnight — and compare it with budgetPerDay.
// A project's budget does the same over the pods whose `project` metadata names it (billing per pod
// id, attributed through the pod list), so one project cannot spend another's share.
import { costSoFar, formatDollars, totalHourlyCost } from './cost';
import type { PodProvider } from './provider';
import type { PodInfo } from './types';

/** The metadata key that names a pod's project (`--meta project=llm`). */
export const projectMetaKey = 'project';

export interface BudgetCheck {
  /** Set when this is a project's budget (pods whose `project` metadata is this value). */
  project?: string;
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

export interface SpendToday {
  spent: number;
  source: 'billing' | 'estimate';
  /** Spend today per project (pods whose `project` metadata is set), same source. */
  byProject: Map<string, number>;
  /**
   * Billed today by pods no longer listed (terminated): RunPod's billing names only the pod id, so
   * this part counts toward the account's budget but no project's.
   */
  unattributed: number;
}

export function podProject(pod: PodInfo): string | undefined {
  const v = pod.metadata[projectMetaKey];
  return v ? v : undefined;
}

export async function spendToday(provider: PodProvider, pods: readonly PodInfo[], signal?: AbortSignal): Promise<SpendToday> {
  const byProject = new Map<string, number>();
  const add = (pod: PodInfo, amount: number) => {
    const project = podProject(pod);
    if (project && amount) byProject.set(project, (byProject.get(project) ?? 0) + amount);
  };
  if (provider.spendSince) {
    const billed = await provider.spendSince(undefined, signal);
    const listed = new Map(pods.map((p) => [p.id, p]));
    let unattributed = 0;
    for (const [id, amount] of billed.byPod) {
      const pod = listed.get(id);
      if (pod) add(pod, amount);
      else unattributed += amount;
    }
    return { spent: billed.total, source: 'billing', byProject, unattributed };
  }
  for (const p of pods) add(p, costSoFar(p));
  return { spent: pods.reduce((s, p) => s + costSoFar(p), 0), source: 'estimate', byProject, unattributed: 0 };
}

/** `llm=20,vision=5` (AIRLOCK_PODS_PROJECT_BUDGETS) → { llm: 20, vision: 5 }; throws naming the bad entry. */
export function parseProjectBudgets(text: string | undefined, what = 'AIRLOCK_PODS_PROJECT_BUDGETS'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\S+)$/.exec(entry);
    const n = m ? Number(m[2]!.replace(/^\$/, '')) : NaN;
    if (!m || !(Number.isFinite(n) && n >= 0)) throw new Error(`${what}: "${entry}" is not project=USD (e.g. llm=20,vision=5)`);
    out[m[1]!] = n;
  }
  return out;
}

/**
 * Every budget a new pod of `project` must fit: the account's (budgetPerDay > 0) and its project's
 * (projectBudgets[project] > 0). Returns the checks; the caller asks or refuses when one exceeds.
 */
export function checkBudgets(o: {
  budgetPerDay: number;
  projectBudgets: Readonly<Record<string, number>>;
  project: string | undefined;
  spent: SpendToday;
  pods: readonly PodInfo[];
  newPodPerHour: number;
  nowMs?: number;
}): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  if (o.budgetPerDay > 0)
    checks.push(
      checkBudget({
        budgetPerDay: o.budgetPerDay,
        spentToday: o.spent.spent,
        spentSource: o.spent.source,
        pods: o.pods,
        newPodPerHour: o.newPodPerHour,
        nowMs: o.nowMs,
      }),
    );
  const projectBudget = o.project ? o.projectBudgets[o.project] : undefined;
  if (o.project && projectBudget && projectBudget > 0)
    checks.push(
      checkBudget({
        project: o.project,
        budgetPerDay: projectBudget,
        spentToday: o.spent.byProject.get(o.project) ?? 0,
        spentSource: o.spent.source,
        pods: o.pods.filter((p) => podProject(p) === o.project),
        newPodPerHour: o.newPodPerHour,
        nowMs: o.nowMs,
      }),
    );
  return checks;
}

/** What a status bar shows between billing reads: the figure read plus what billing pods added since. */
export function spendNow(spentAtRead: number, hourlyNow: number, readAtMs: number, nowMs = Date.now()): number {
  return spentAtRead + (hourlyNow * Math.max(0, nowMs - readAtMs)) / 3600_000;
}

export function checkBudget(o: {
  project?: string;
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
  const whose = o.project ? ` by project "${o.project}"` : '';
  const spent = `${formatDollars(o.spentToday)} spent today${whose}${o.spentSource === 'estimate' ? ' (estimated from uptime)' : ''}`;
  const podsNow = o.project ? `its pods billing now` : 'the pods billing now';
  const budget = o.project ? `project "${o.project}"'s ${formatDollars(o.budgetPerDay)}/day budget` : `${formatDollars(o.budgetPerDay)}/day budget`;
  const message = `${spent}; with ${podsNow} (${formatDollars(hourlyNow)}/hr) and this one (${formatDollars(o.newPodPerHour)}/hr) until midnight UTC that is ${formatDollars(projected)} of the ${budget}`;
  return {
    ...(o.project ? { project: o.project } : {}),
    budgetPerDay: o.budgetPerDay,
    spentToday: o.spentToday,
    spentSource: o.spentSource,
    hourlyNow,
    hoursLeftToday,
    projected,
    exceeds,
    message,
  };
}
