// `airlock hosts stop NAME [--yes]` and the idle columns of `hosts list|probe` for the workspace's
// own VMs (hosts.json `pricePerHour`, `stopCommand`, `idleWarnMinutes`).
import { createInterface } from 'node:readline/promises';
import type { CliContext } from '../types';
import { InputError } from '../errors';
import type { HostInventory } from '../../core/hosts/inventory';
import { formatDollars } from '../../core/pods/cost';
import { stopHost } from '../../core/hosts/stopHost';
import { idleWarnMinutesOf, isWatchedHost, observeHostIdle, readHostIdleClock, writeHostIdleClock, type HostIdleStatus } from '../../core/hosts/hostIdle';
import type { HostFacts, HostSpec } from '../../core/hosts/types';

/** Stops the host with its stopCommand, run here; asks first on a terminal unless --yes. */
export async function stopHostCli(inventory: HostInventory, spec: HostSpec, yes: boolean, workspace: string, ctx: CliContext): Promise<number> {
  // Never run a stop command read from a half-broken config: the entry it came from may be another one.
  const broken = inventory.errors.filter((e) => e.file.endsWith('hosts.json'));
  if (broken.length) throw new InputError(`fix .airlock/hosts.json first (${broken.length} problem(s) above); nothing was run`);
  if (!spec.stopCommand)
    throw new InputError(`host "${spec.name}" has no "stopCommand" in ${spec.origin ? `${spec.origin.file}:${spec.origin.line}` : '.airlock/hosts.json'}`);
  const price = spec.pricePerHour !== undefined ? ` (it costs ${formatDollars(spec.pricePerHour)}/hr)` : '';
  ctx.stderr.write(`airlock hosts: stop "${spec.name}"${price} by running here: ${spec.stopCommand}\n`);
  if (!yes && !(await confirm(`Run it? [y/N] `, ctx))) {
    ctx.stderr.write('airlock hosts: nothing was run (pass --yes to skip the question)\n');
    return process.stdin.isTTY ? 1 : 2;
  }
  await stopHost(spec, {
    signal: ctx.signal,
    cwd: workspace,
    onStdout: (l) => ctx.stdout.write(l + '\n'),
    onStderr: (l) => ctx.stderr.write(l + '\n'),
  });
  // The next probe starts the idle clock again (a restarted VM is a new session).
  const clock = await readHostIdleClock(workspace);
  clock.reset(spec.name);
  await writeHostIdleClock(workspace, clock);
  ctx.stdout.write(`stopped ${spec.name}; if its address changes when it starts again, run "Airlock: Write SSH Config Entry" or update ~/.ssh/config\n`);
  return 0;
}

async function confirm(question: string, ctx: CliContext): Promise<boolean> {
  if (!process.stdin.isTTY) {
    ctx.stderr.write('airlock hosts: not a terminal, cannot ask for confirmation\n');
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Feeds a probe into `.airlock/host-idle.json` and returns each watched host's idle status. */
export async function recordProbeIdle(workspace: string, probed: { spec: HostSpec; facts: HostFacts }[]): Promise<Map<string, HostIdleStatus>> {
  if (!probed.some((p) => isWatchedHost(p.spec))) return new Map();
  const clock = await readHostIdleClock(workspace);
  const status = observeHostIdle(clock, probed);
  await writeHostIdleClock(workspace, clock);
  return status;
}

/** Idle since the last recorded probe, for `hosts list` (which does not probe). */
export async function lastIdleMinutes(workspace: string): Promise<Map<string, number>> {
  const clock = await readHostIdleClock(workspace);
  const now = Date.now();
  return new Map(clock.entries().map(([name, ms]) => [name, (now - ms) / 60_000]));
}

export function priceCell(spec: HostSpec): string {
  return spec.pricePerHour !== undefined ? `${formatDollars(spec.pricePerHour)}/hr` : '';
}

export function idleCell(spec: HostSpec, status: HostIdleStatus | undefined): string {
  if (!isWatchedHost(spec) || !status) return '';
  if (!status.idle) return `busy: ${status.why}`;
  const mins = Math.round(status.idleMinutes ?? 0);
  return `idle ${mins} min${status.warn ? ` ≥ ${idleWarnMinutesOf(spec)}: stop it with "airlock hosts stop ${spec.name}"` : ''}`;
}
