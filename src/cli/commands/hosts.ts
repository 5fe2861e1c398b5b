// `airlock hosts list|probe|exec|stop`: the hosts core from a terminal (GPU workers, scripts, cron).
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse as parseJsonc } from 'jsonc-parser';
import type { CliCommand, CliContext } from '../types';
import { inputDirFlag, inputFileFlag, secondsFlag } from '../flags';
import { InputError, UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { findHost, loadHostInventory, type HostInventory } from '../../core/hosts/inventory';
import { probeHosts } from '../../core/hosts/probe';
import { createHostRunner } from '../../core/hosts/hostRunners';
import { defaultTiers, parseTiers, resolveTier, type TierRule } from '../../core/hosts/tiers';
import { SshConnectionPool } from '../../core/ssh/connectionPool';
import type { HostKeyPolicy } from '../../core/ssh/hostKeyPolicy';
import { address, probeRow, table } from './hostsFormat';
import { idleCell, lastIdleMinutes, priceCell, recordProbeIdle, stopHostCli } from './hostsStop';
import { isWatchedHost } from '../../core/hosts/hostIdle';

const usage = `Usage:
  airlock hosts list  [--json]
  airlock hosts probe [NAME...] [--json]
  airlock hosts exec  NAME -- COMMAND...
  airlock hosts stop  NAME [--yes]       run the host's "stopCommand" (hosts.json) here, on this machine
Options:
  --yes, -y                stop without asking (required when stdin is not a terminal)
  --workspace DIR          folder with .airlock/hosts.json (default: current directory)
  --ssh-config PATH        OpenSSH client config (default: ~/.ssh/config)
  --accept-new-host-key    trust host keys seen for the first time (or AIRLOCK_ACCEPT_NEW_HOST_KEY=1);
                           changed keys are always refused
  --timeout SEC            probe timeout per host (default 20)`;

export const hostsCommand: CliCommand = {
  name: 'hosts',
  summary: 'list hosts, probe them (GPUs, disk, load), run a command on one',
  async run(args, ctx) {
    const dashdash = args.indexOf('--');
    const own = dashdash >= 0 ? args.slice(0, dashdash) : args;
    const parsed = parseOptions(
      {
        args: own,
        allowPositionals: true,
        options: {
          json: { type: 'boolean' },
          yes: { type: 'boolean', short: 'y' },
          workspace: { type: 'string' },
          'ssh-config': { type: 'string' },
          'accept-new-host-key': { type: 'boolean' },
          timeout: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    const { values, positionals } = parsed;
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    const [sub = 'list', ...names] = positionals;
    const workspace = values.workspace === undefined ? process.cwd() : inputDirFlag('--workspace', values.workspace);
    if (values['ssh-config'] !== undefined) inputFileFlag('--ssh-config', values['ssh-config']);
    const timeoutMs = secondsFlag('--timeout', values.timeout, 20);
    const settings = await readWorkspaceSettings(workspace);
    const sshConfigPath = values['ssh-config'] ?? settings.sshConfigPath;
    const inventory = await loadHostInventory({ workspaceDir: workspace, sshConfigPath, defaultWorkDir: settings.workDir });
    for (const e of inventory.errors) ctx.stderr.write(`airlock hosts: ${e.message}\n`);

    if (sub === 'list') return list(inventory, !!values.json, workspace, ctx);
    if (sub === 'stop') {
      if (names.length !== 1) throw new UsageError(`stop needs exactly one host name\n${usage}`);
      return stopHostCli(inventory, host(inventory, names[0]!), !!values.yes, workspace, ctx);
    }
    const accept = !!values['accept-new-host-key'] || process.env.AIRLOCK_ACCEPT_NEW_HOST_KEY === '1';
    const pool = new SshConnectionPool({ hostKeyPolicy: cliHostKeyPolicy(accept, ctx), keepaliveIntervalSec: 15 });
    try {
      if (sub === 'probe') {
        return await probe(inventory, names, { pool, sshConfigPath, tiers: settings.tiers, json: !!values.json, timeoutMs, workspace }, ctx);
      }
      if (sub === 'exec') {
        const command = dashdash >= 0 ? args.slice(dashdash + 1).join(' ') : names.slice(1).join(' ');
        if (names.length < 1 || !command) throw new UsageError(`exec needs a host and a command\n${usage}`);
        const runner = createHostRunner(host(inventory, names[0]!), pool, { sshConfigPath });
        const r = await runner.exec(command, {
          signal: ctx.signal,
          onStdout: (l) => ctx.stdout.write(l + '\n'),
          onStderr: (l) => ctx.stderr.write(l + '\n'),
        });
        return r.code ?? 1;
      }
      throw new UsageError(`unknown subcommand "${sub}"\n${usage}`);
    } finally {
      pool.dispose();
    }
  },
};

async function list(inventory: HostInventory, json: boolean, workspace: string, ctx: CliContext): Promise<number> {
  const idle = await lastIdleMinutes(workspace);
  // Idle minutes as of the last `hosts probe` (list itself does not reach the hosts).
  const idleAt = (name: string) => (idle.has(name) ? `idle ≥ ${Math.round(idle.get(name)!)} min at last probe` : '');
  if (json)
    ctx.stdout.write(
      JSON.stringify(
        {
          hosts: inventory.hosts.map((h) => (isWatchedHost(h) ? { ...h, idleMinutesAtLastProbe: idle.has(h.name) ? Math.round(idle.get(h.name)!) : null } : h)),
          errors: inventory.errors.map((e) => ({ file: e.file, line: e.line, field: e.field, message: e.message })),
        },
        null,
        2,
      ) + '\n',
    );
  else
    ctx.stdout.write(
      table([
        ['NAME', 'SOURCE', 'ADDRESS', 'TIER', 'PRICE', 'IDLE', 'DESCRIPTION'],
        ...inventory.hosts.map((h) => [h.name, h.source, address(h), h.tier ?? '', priceCell(h), isWatchedHost(h) ? idleAt(h.name) : '', h.description ?? '']),
      ]),
    );
  return inventory.errors.length ? 2 : 0;
}

interface ProbeRun {
  pool: SshConnectionPool;
  sshConfigPath?: string;
  tiers: TierRule[];
  json: boolean;
  timeoutMs: number;
  workspace: string;
}

async function probe(inventory: HostInventory, names: string[], o: ProbeRun, ctx: CliContext): Promise<number> {
  const selected = names.length ? names.map((n) => host(inventory, n)) : inventory.hosts;
  const facts = await probeHosts(
    selected.map((h) => createHostRunner(h, o.pool, { sshConfigPath: o.sshConfigPath })),
    { signal: ctx.signal, timeoutMs: o.timeoutMs },
  );
  const results = selected.map((h, i) => ({ host: h, facts: facts[i]!, tier: resolveTier(h, facts[i], o.tiers) }));
  const idle = await recordProbeIdle(
    o.workspace,
    results.map((r) => ({ spec: r.host, facts: r.facts })),
  );
  if (o.json) {
    ctx.stdout.write(
      JSON.stringify(
        results.map((r) => {
          const s = idle.get(r.host.name);
          const cost = s
            ? { pricePerHour: r.host.pricePerHour ?? null, idle: { idle: s.idle, why: s.why, idleMinutes: s.idleMinutes ?? null, warn: s.warn } }
            : {};
          return { name: r.host.name, tier: r.tier?.name ?? null, ...r.facts, ...cost };
        }),
        null,
        2,
      ) + '\n',
    );
  } else {
    const watched = idle.size > 0;
    ctx.stdout.write(
      table([
        ['NAME', 'STATUS', 'GPUS', 'DISK', 'LOAD', 'TIER', ...(watched ? ['PRICE', 'IDLE'] : [])],
        ...results.map((r) => [...probeRow(r.host, r.facts, r.tier), ...(watched ? [priceCell(r.host), idleCell(r.host, idle.get(r.host.name))] : [])]),
      ]),
    );
  }
  return results.every((r) => r.facts.reachable) ? 0 : 1;
}

function host(inventory: HostInventory, name: string) {
  try {
    return findHost(inventory, name);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

export function cliHostKeyPolicy(accept: boolean, ctx: CliContext): HostKeyPolicy {
  return {
    async confirmUnknownHost(k) {
      if (accept) {
        ctx.stderr.write(`airlock hosts: trusting new host key of ${k.pattern}: ${k.keyType} ${k.fingerprint}\n`);
        return true;
      }
      ctx.stderr.write(
        `airlock hosts: ${k.pattern} presented an unknown host key ${k.keyType} ${k.fingerprint}; verify it ` +
          `(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host) and rerun with --accept-new-host-key to trust it\n`,
      );
      return false;
    },
  };
}

/** The few settings the CLI honours from `<workspace>/.vscode/settings.json`, so terminal and editor agree. */
export async function readWorkspaceSettings(workspace: string): Promise<{ sshConfigPath?: string; workDir?: string; tiers: TierRule[] }> {
  const file = join(workspace, '.vscode', 'settings.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { tiers: defaultTiers };
  const s = (parseJsonc(text, [], { allowTrailingComma: true }) ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
  const { tiers, problems } = parseTiers(s['airlock.tiers']);
  if (problems.length) throw new InputError(`${file}: ${problems.join('; ')}`);
  return {
    sshConfigPath: str('airlock.ssh.configPath'),
    workDir: str('airlock.hosts.workDir'),
    tiers: s['airlock.tiers'] === undefined ? defaultTiers : tiers,
  };
}
