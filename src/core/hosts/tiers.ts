// Hardware tiers (setting `airlock.tiers`): a host's tier comes from its GPUs (first matching rule
// wins) unless the host names one; `canPlace` refuses work that needs more VRAM than the host has.
import type { HostFacts, HostSpec } from './types';

export interface TierRule {
  name: string;
  label: string;
  /** Regular expression matched against each GPU name (case-insensitive). */
  gpuName?: string;
  /** Every matching GPU must have at least this much memory (GB = 1024 MiB, as nvidia-smi users read it). */
  minVramGb?: number;
  /** Largest job (GB of VRAM) this tier may take, e.g. 20 on a 22 GB L4 kept for debugging. */
  maxJobVramGb?: number;
  /** Matches hosts without any GPU. */
  noGpu?: boolean;
}

/** Validates the raw setting; bad rules are dropped and described in `problems`. */
export function parseTiers(value: unknown): { tiers: TierRule[]; problems: string[] } {
  const tiers: TierRule[] = [];
  const problems: string[] = [];
  if (!Array.isArray(value)) return { tiers, problems: value === undefined ? [] : ['airlock.tiers must be an array'] };
  value.forEach((raw: Record<string, unknown>, i) => {
    const at = `airlock.tiers[${i}]`;
    if (!raw || typeof raw !== 'object') return problems.push(`${at} must be an object`);
    if (typeof raw.name !== 'string' || !raw.name) return problems.push(`${at}.name must be a non-empty string`);
    if (typeof raw.label !== 'string') return problems.push(`${at}.label must be a string`);
    for (const k of ['minVramGb', 'maxJobVramGb'] as const)
      if (raw[k] !== undefined && (typeof raw[k] !== 'number' || (raw[k] as number) < 0)) return problems.push(`${at}.${k} must be a number >= 0`);
    if (raw.gpuName !== undefined) {
      if (typeof raw.gpuName !== 'string') return problems.push(`${at}.gpuName must be a string`);
      try {
        new RegExp(raw.gpuName);
      } catch {
        return problems.push(`${at}.gpuName is not a valid regular expression`);
      }
    }
    tiers.push(raw as unknown as TierRule);
  });
  return { tiers, problems };
}

const vramGb = (mib: number) => mib / 1024;

/** Whether a rule describes these facts. A rule with no conditions matches any host with a GPU. */
function tierMatches(rule: TierRule, facts: HostFacts): boolean {
  if (!facts.reachable) return false;
  if (rule.noGpu) return facts.gpus.length === 0;
  if (!facts.gpus.length) return false;
  const re = rule.gpuName ? new RegExp(rule.gpuName, 'i') : undefined;
  const gpus = re ? facts.gpus.filter((g) => re.test(g.name)) : facts.gpus;
  if (!gpus.length) return false;
  return rule.minVramGb === undefined || gpus.every((g) => vramGb(g.memoryTotalMiB) >= rule.minVramGb!);
}

/** The host's tier: its explicit `tier` if that names a rule, else the first rule its facts match. */
export function resolveTier(host: HostSpec, facts: HostFacts | undefined, tiers: TierRule[]): TierRule | undefined {
  if (host.tier) return tiers.find((t) => t.name === host.tier) ?? { name: host.tier, label: host.tier };
  return facts ? tiers.find((t) => tierMatches(t, facts)) : undefined;
}

export type Placement = { ok: true } | { ok: false; reason: string };

/** The hardware-tier rule: refuse a job whose VRAM need exceeds the tier's cap or the host's largest GPU. */
export function canPlace(host: { name: string; tier?: TierRule; facts?: HostFacts }, vramNeedGb: number): Placement {
  const { tier, facts } = host;
  if (tier?.maxJobVramGb !== undefined && vramNeedGb > tier.maxJobVramGb)
    return {
      ok: false,
      reason: `${host.name} is tier "${tier.label}", which takes jobs up to ${tier.maxJobVramGb} GB of VRAM; this one needs ${vramNeedGb} GB`,
    };
  if (vramNeedGb <= 0) return { ok: true };
  if (!facts?.reachable) return { ok: false, reason: `${host.name} has not been probed (or is unreachable), so its VRAM is unknown` };
  if (!facts.gpus.length) return { ok: false, reason: `${host.name} has no GPU; this job needs ${vramNeedGb} GB of VRAM` };
  const best = Math.max(...facts.gpus.map((g) => vramGb(g.memoryTotalMiB)));
  if (vramNeedGb > best) return { ok: false, reason: `${host.name}'s largest GPU has ${best.toFixed(0)} GB of VRAM; this job needs ${vramNeedGb} GB` };
  return { ok: true };
}

/** A warning when the work directory's disk is at least `percent` full (a full disk bricks a VM). */
export function diskWarning(facts: HostFacts | undefined, percent: number): string | undefined {
  if (!facts?.reachable || !facts.disk || facts.disk.usedPct < percent) return undefined;
  const freeGb = facts.disk.availBytes / 1024 ** 3;
  return `Disk of ${facts.disk.path} is ${facts.disk.usedPct}% full (${freeGb.toFixed(1)} GiB free) — clean up before it fills`;
}

/** The default of the `airlock.tiers` setting (kept equal to package.json; the CLI uses it). */
export const defaultTiers: TierRule[] = [
  { name: 'a100', label: 'A100 · full runs', gpuName: 'A100|H100', minVramGb: 40 },
  { name: 'l4', label: 'L4 · ≤ 20 GB jobs', gpuName: 'L4', maxJobVramGb: 20 },
  { name: 'gpu', label: 'GPU', minVramGb: 1 },
  { name: 'cpu', label: 'CPU only', noGpu: true },
];
