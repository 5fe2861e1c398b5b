// The idle rule for the workspace's own VMs (hosts.json entries with a price or a stop command),
// the same rule pods have (core/idle): one probe is "idle" when every GPU sits at or below 5 % and
// no logged-in terminal had input in the last 5 minutes; the host is idle for N minutes when every
// probe over those minutes said so. A host with no GPU readings is never idle (unknown, as for pods).
// Background jobs started without a terminal (nohup, Airlock's own runs) count only through the GPU.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatDollars } from '../pods/cost';
import { gpuIdleThresholdPercent, gpusIdle, IdleClock } from '../idle/idleClock';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import type { HostFacts, HostSpec } from './types';

export const defaultIdleWarnMinutes = 30;
/** A terminal with input more recent than this makes a probe busy. */
export const sessionActiveWindowSec = 300;

/** Hosts the idle rule watches: the ones that bill (a price) or can be stopped (a stop command). */
export function isWatchedHost(spec: HostSpec): boolean {
  return spec.kind === 'ssh' && (spec.pricePerHour !== undefined || !!spec.stopCommand);
}

export function idleWarnMinutesOf(spec: HostSpec): number {
  return spec.idleWarnMinutes ?? defaultIdleWarnMinutes;
}

export interface HostIdleSample {
  idle: boolean;
  /** Why it is busy or idle, for a person: "GPU 0 at 87 %", "pts/0 typed 2 min ago", "GPUs ≤ 5 %, no terminal input". */
  why: string;
}

/** One probe's verdict. */
export function hostIdleSample(facts: HostFacts | undefined): HostIdleSample {
  if (!facts) return { idle: false, why: 'not probed yet' };
  if (!facts.reachable) return { idle: false, why: `unreachable (${facts.reason})` };
  const utils = facts.gpus.map((g) => g.utilizationPct);
  if (!gpusIdle(utils)) {
    if (!utils.length) return { idle: false, why: facts.gpuError ? `no GPU readings (${facts.gpuError})` : 'no GPU readings' };
    const busy = facts.gpus.findIndex((g) => g.utilizationPct > gpuIdleThresholdPercent);
    return { idle: false, why: `GPU ${busy} at ${facts.gpus[busy]!.utilizationPct}%` };
  }
  const active = (facts.sessions ?? []).filter((s) => s.idleSec < sessionActiveWindowSec).sort((a, b) => a.idleSec - b.idleSec)[0];
  if (active) return { idle: false, why: `${active.user} on ${active.tty} typed ${Math.round(active.idleSec / 60)} min ago` };
  return { idle: true, why: `GPUs ≤ ${gpuIdleThresholdPercent}%, no terminal input for ${sessionActiveWindowSec / 60} min` };
}

export interface HostIdleStatus extends HostIdleSample {
  /** Since when every probe saw it idle. */
  idleSinceMs?: number;
  idleMinutes?: number;
  /** Idle for at least the host's idleWarnMinutes: warn and offer Stop Host. */
  warn: boolean;
}

/** Feeds probes of watched hosts into the clock and says, per host, how long it has been idle. */
export function observeHostIdle(
  clock: IdleClock,
  probed: readonly { spec: HostSpec; facts: HostFacts | undefined }[],
  nowMs = Date.now(),
): Map<string, HostIdleStatus> {
  const out = new Map<string, HostIdleStatus>();
  for (const { spec, facts } of probed) {
    if (!isWatchedHost(spec)) continue;
    const sample = hostIdleSample(facts);
    clock.observe([{ id: spec.name, idle: sample.idle }], 0, nowMs, true);
    const since = clock.idleSince(spec.name);
    const idleMinutes = since === undefined ? undefined : (nowMs - since) / 60_000;
    out.set(spec.name, { ...sample, idleSinceMs: since, idleMinutes, warn: idleMinutes !== undefined && idleMinutes >= idleWarnMinutesOf(spec) });
  }
  return out;
}

/** "$1.200/hr · idle 42 min" / "$1.200/hr · busy: GPU 0 at 87%" for rows and tables. */
export function hostCostLabel(spec: HostSpec, status: HostIdleStatus | undefined): string {
  const price = spec.pricePerHour !== undefined ? `${formatDollars(spec.pricePerHour)}/hr` : '';
  const idle = !status ? '' : status.idle ? `idle ${Math.round(status.idleMinutes ?? 0)} min` : `busy: ${status.why}`;
  return [price, idle].filter(Boolean).join(' · ');
}

/** `.airlock/host-idle.json`: since when each watched host has been idle, so `airlock hosts probe` run from cron counts minutes across runs. */
export function hostIdleStateFile(workspaceDir: string): string {
  return join(workspaceDir, '.airlock', 'host-idle.json');
}

export async function readHostIdleClock(workspaceDir: string): Promise<IdleClock> {
  const text = await readFile(hostIdleStateFile(workspaceDir), 'utf8').catch(() => undefined);
  const entries: [string, number][] = [];
  try {
    const hosts = (JSON.parse(text ?? '{}') as { hosts?: Record<string, { idleSince?: unknown }> }).hosts ?? {};
    for (const [name, v] of Object.entries(hosts)) {
      const ms = typeof v?.idleSince === 'string' ? Date.parse(v.idleSince) : NaN;
      if (Number.isFinite(ms)) entries.push([name, ms]);
    }
  } catch {
    // A damaged state file only loses the idle minutes counted so far; the next probes start again.
  }
  return new IdleClock(entries);
}

export async function writeHostIdleClock(workspaceDir: string, clock: IdleClock): Promise<void> {
  const hosts = Object.fromEntries(clock.entries().map(([name, ms]) => [name, { idleSince: new Date(ms).toISOString() }]));
  await mkdir(dirname(hostIdleStateFile(workspaceDir)), { recursive: true });
  await writeFileAtomic(hostIdleStateFile(workspaceDir), JSON.stringify({ version: 1, hosts }, null, 2) + '\n');
}
