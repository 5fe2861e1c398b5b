// The host list: the built-in `local` host first, then `.airlock/hosts.json` entries, then the
// concrete aliases of ~/.ssh/config. A workspace entry named like an alias overrides that alias
// (and still inherits the alias's settings through ~/.ssh/config when it sets no `host`).
import { join, relative } from 'node:path';
import { readFile } from 'node:fs/promises';
import { expandHome } from '../process/runLocal';
import { listSshAliases, readSshConfigChecked, computeSshHost } from '../ssh/sshConfig';
import { parseHostsFile } from './hostsFile';
import { ConfigError, readProblem } from '../config/jsoncDoc';
import { localHostSpec } from './localRunner';
import type { HostSpec } from './types';

export interface InventoryOptions {
  /** Workspace folder holding `.airlock/hosts.json`; omit for none. */
  workspaceDir?: string;
  /** Default ~/.ssh/config (setting `airlock.ssh.configPath`). */
  sshConfigPath?: string;
  /** List ~/.ssh/config aliases (setting `airlock.hosts.showSshConfigAliases`). Default true. */
  includeSshConfigAliases?: boolean;
  /** workDir for hosts that set none (setting `airlock.hosts.workDir`). Default `~`. */
  defaultWorkDir?: string;
}

export interface HostInventory {
  hosts: HostSpec[];
  /** Problems found while reading; hosts with valid entries are still listed. */
  errors: ConfigError[];
  /** Absolute path of the workspace hosts file (whether or not it exists). */
  hostsFile?: string;
}

export function workspaceHostsFile(workspaceDir: string): string {
  return join(workspaceDir, '.airlock', 'hosts.json');
}

export async function loadHostInventory(opts: InventoryOptions = {}): Promise<HostInventory> {
  const defaultWorkDir = opts.defaultWorkDir ?? '~';
  const sshConfigPath = expandHome(opts.sshConfigPath ?? '~/.ssh/config');
  const hosts: HostSpec[] = [localHostSpec(defaultWorkDir)];
  const errors: ConfigError[] = [];
  const names = new Set(['local']);

  let hostsFile: string | undefined;
  if (opts.workspaceDir) {
    hostsFile = workspaceHostsFile(opts.workspaceDir);
    const display = relative(opts.workspaceDir, hostsFile);
    const text = await readFile(hostsFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      errors.push(new ConfigError(display, 1, '', `cannot be read (${readProblem(err)})`));
      return undefined;
    });
    if (text !== undefined) {
      const parsed = parseHostsFile(text, display);
      errors.push(...parsed.errors);
      for (const e of parsed.entries) {
        names.add(e.name);
        hosts.push({
          name: e.name,
          kind: 'ssh',
          source: 'workspace',
          hostName: e.host,
          user: e.user,
          port: e.port,
          identityFiles: e.identityFile ? [e.identityFile] : undefined,
          proxyJump: e.proxyJump,
          workDir: e.workDir ?? defaultWorkDir,
          tier: e.tier,
          description: e.description,
          ...(e.scheduler ? { scheduler: e.scheduler } : {}),
          ...(e.pricePerHour !== undefined ? { pricePerHour: e.pricePerHour } : {}),
          ...(e.stopCommand ? { stopCommand: e.stopCommand } : {}),
          ...(e.idleWarnMinutes !== undefined ? { idleWarnMinutes: e.idleWarnMinutes } : {}),
          ...(e.probePath ? { probePath: e.probePath } : {}),
          origin: { file: hostsFile, line: e.line },
        });
      }
    }
  }

  if (opts.includeSshConfigAliases ?? true) {
    const { config, problems } = await readSshConfigChecked(sshConfigPath);
    // A bad line is reported with its place; the other hosts (and `local`) are still listed.
    for (const p of problems) errors.push(new ConfigError(p.file, p.line, '', p.message));
    for (const { alias, line } of await listSshAliases(sshConfigPath)) {
      if (names.has(alias)) continue;
      names.add(alias);
      const s = computeSshHost(config, alias);
      hosts.push({
        name: alias,
        kind: 'ssh',
        source: 'ssh-config',
        hostName: s.hostName,
        user: s.user,
        port: s.port,
        identityFiles: s.identityFiles.length ? s.identityFiles : undefined,
        proxyJump: s.proxyJump,
        workDir: defaultWorkDir,
        origin: { file: sshConfigPath, line },
      });
    }
  }
  return { hosts, errors, hostsFile };
}

/** Looks a host up by name; the error lists what exists. */
export function findHost(inventory: HostInventory, name: string): HostSpec {
  const host = inventory.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no host named "${name}" (known: ${inventory.hosts.map((h) => h.name).join(', ')})`);
  return host;
}
