// What `airlock pods create` adds around createPod for cost: the on-pod watchdog's flags, the daily
// budget (refuses without --yes when the projection exceeds it) and the pod's logs while it starts
// (a failing image shows at once, not after the readiness timeout). Kept beside podsCreate.ts so
// that file only calls in.
import { UsageError } from '../errors';
import { checkBudgets, parseProjectBudgets, spendToday } from '../../core/pods/budget';
import { podSshAccess, type PodSshAccess } from '../../core/pods/sshAccess';
import { formatDollars } from '../../core/pods/cost';
import type { AnyRunpodProvider } from '../../core/pods/providerFactory';
import type { CreateProgress } from '../../core/pods/provision';
import { defaultRunpodRestBaseUrl } from '../../core/pods/runpodRest/client';
import { spotNeedsGraphql } from '../../core/pods/runpodRest/restProvider';
import type { PodOffer, WatchdogSpec } from '../../core/pods/types';
import type { CliContext } from '../types';
import { InputError } from '../errors';

export const guardOptions = {
  'idle-stop': { type: 'string' },
  'max-hours': { type: 'string' },
  'no-watchdog': { type: 'boolean' },
  budget: { type: 'string' },
  'project-budget': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'no-logs': { type: 'boolean' },
} as const;

export const guardUsage = `                      [--idle-stop MIN] [--max-hours H] [--no-watchdog] [--budget USD] [--project-budget USD] [--yes] [--no-logs]
    The on-pod watchdog stops the pod after --idle-stop minutes idle (default AIRLOCK_PODS_IDLE_STOP_MINUTES
    or 60) or --max-hours of lifetime (default AIRLOCK_PODS_MAX_HOURS or 0 = off), with no Airlock running.
    --budget (default AIRLOCK_PODS_BUDGET_PER_DAY): refuse, unless --yes, a pod that would take today's
    projected spend over it. --project-budget (default: this pod's project in AIRLOCK_PODS_PROJECT_BUDGETS,
    e.g. llm=20,vision=5) does the same for the pods of its project (--meta project=NAME).`;

interface GuardFlags {
  'idle-stop'?: string;
  'max-hours'?: string;
  'no-watchdog'?: boolean;
  budget?: string;
  'project-budget'?: string;
  yes?: boolean;
  'no-logs'?: boolean;
  spot?: boolean;
}

function nonNegative(flag: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!(Number.isFinite(n) && n >= 0)) throw new UsageError(`${flag} must be a number ≥ 0, got "${value}"`);
  return n;
}

/** Spot pods exist only on GraphQL: say so before any call instead of "no offer matches". */
export function refuseGraphqlOnly(flags: GuardFlags, provider: AnyRunpodProvider): void {
  if (flags.spot && provider.api === 'rest') throw new InputError(`--spot: ${spotNeedsGraphql}`);
}

export function watchdogFromFlags(flags: GuardFlags, provider: AnyRunpodProvider, env: NodeJS.ProcessEnv = process.env): WatchdogSpec | undefined {
  if (flags['no-watchdog']) return undefined;
  const idleStopMinutes =
    nonNegative('--idle-stop', flags['idle-stop']) ?? nonNegative('AIRLOCK_PODS_IDLE_STOP_MINUTES', env.AIRLOCK_PODS_IDLE_STOP_MINUTES) ?? 60;
  const maxHours = nonNegative('--max-hours', flags['max-hours']) ?? nonNegative('AIRLOCK_PODS_MAX_HOURS', env.AIRLOCK_PODS_MAX_HOURS) ?? 0;
  if (!idleStopMinutes && !maxHours) return undefined;
  // The watchdog calls REST v2 from the pod; a non-default endpoint (a proxy, the fake) goes with it.
  const base = provider.api === 'rest' ? provider.endpoint : provider.endpoint.replace(/\/graphql$/, '');
  return { idleStopMinutes, maxHours, ...(base !== defaultRunpodRestBaseUrl ? { apiBaseUrl: base } : {}) };
}

/**
 * false = refused (the caller exits 1). Asks nothing: scripts need --yes, the editor asks itself.
 * Checks the account's budget and, when the new pod has `project` metadata, that project's.
 */
export async function enforceBudget(
  provider: AnyRunpodProvider,
  offers: readonly PodOffer[],
  flags: GuardFlags,
  ctx: CliContext,
  env: NodeJS.ProcessEnv = process.env,
  project?: string,
): Promise<boolean> {
  const budgetPerDay = nonNegative('--budget', flags.budget) ?? nonNegative('AIRLOCK_PODS_BUDGET_PER_DAY', env.AIRLOCK_PODS_BUDGET_PER_DAY) ?? 0;
  const projectFlag = nonNegative('--project-budget', flags['project-budget']);
  if (projectFlag !== undefined && !project) throw new UsageError("--project-budget needs the pod's project: add --meta project=NAME");
  let projectBudgets: Record<string, number>;
  try {
    projectBudgets = parseProjectBudgets(env.AIRLOCK_PODS_PROJECT_BUDGETS);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (project && projectFlag !== undefined) projectBudgets = { ...projectBudgets, [project]: projectFlag };
  const projectBudget = project ? projectBudgets[project] : undefined;
  if ((!budgetPerDay && !projectBudget) || !offers.length) return true;
  const pods = await provider.list(ctx.signal);
  const spent = await spendToday(provider, pods, ctx.signal);
  // The first offer is the one tried first and the cheapest: a lower bound of what the new pod costs.
  const over = checkBudgets({ budgetPerDay, projectBudgets, project, spent, pods, newPodPerHour: offers[0]!.pricePerHour }).filter((c) => c.exceeds);
  if (!over.length) return true;
  if (flags.yes) {
    for (const c of over) ctx.stderr.write(`airlock pods: over budget, creating anyway (--yes): ${c.message}\n`);
    return true;
  }
  for (const c of over) {
    const raise = c.project
      ? `raise --project-budget (now ${formatDollars(c.budgetPerDay)} for "${c.project}")`
      : `raise --budget (now ${formatDollars(c.budgetPerDay)})`;
    ctx.stderr.write(`airlock pods: not creating: ${c.message}. Pass --yes to create it anyway, or ${raise}\n`);
  }
  return false;
}

/** Warns on stderr when the new pod would accept no SSH login; returns env to add (PUBLIC_KEY from the identity). */
export async function sshAccessEnv(
  provider: AnyRunpodProvider,
  specEnv: Record<string, string> | undefined,
  ctx: CliContext,
  identityFile?: string,
): Promise<PodSshAccess> {
  const access = await podSshAccess(provider, {
    specEnv,
    identityFile: identityFile ?? process.env.AIRLOCK_POD_SSH_IDENTITY,
    identitySetting: 'AIRLOCK_POD_SSH_IDENTITY',
    signal: ctx.signal,
  });
  if (access.source === 'identity') ctx.stderr.write("airlock pods: the account has no SSH key; sending the identity's public key to the pod\n");
  return access;
}

/** Streams the new pod's logs to stderr from "created" until the create settles (REST v2 only). */
export function startupLogs(provider: AnyRunpodProvider, ctx: CliContext, flags: GuardFlags = {}): { onProgress(p: CreateProgress): void; stop(): void } {
  const ac = new AbortController();
  let started = false;
  return {
    onProgress(p) {
      // Stop before "ready" / "terminated" is printed, so no log line lands after it; while a failed
      // pod is being terminated its last lines (why it failed) still come through.
      if (p.kind === 'ready' || p.kind === 'terminated') ac.abort();
      if (started || flags['no-logs'] || p.kind !== 'created' || provider.api !== 'rest') return;
      started = true;
      provider
        .streamLogs(p.pod.id, {
          follow: true,
          signal: AbortSignal.any([ac.signal, ...(ctx.signal ? [ctx.signal] : [])]),
          onLine: (l) => ctx.stderr.write(`  [${l.source}] ${l.line}\n`),
        })
        .catch(() => undefined); // logs are a help while waiting; their failure must not fail the create
    },
    stop: () => ac.abort(),
  };
}
