// What export / verify / import share on the command line: the workspace's hosts (same inventory
// and settings as `airlock hosts`), one SSH pool, and the tool version for manifests.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse as parseJsonc } from 'jsonc-parser';
import type { CliContext } from '../types';
import { InputError } from '../errors';
import { findHost, loadHostInventory } from '../../core/hosts/inventory';
import { createHostRunner } from '../../core/hosts/hostRunners';
import { SshConnectionPool } from '../../core/ssh/connectionPool';
import type { HostRunner } from '../../core/hosts/types';

declare const AIRLOCK_VERSION: string;
export const toolVersion = () => (typeof AIRLOCK_VERSION === 'string' ? AIRLOCK_VERSION : 'dev');

export const hostFlags = {
  workspace: { type: 'string' },
  'ssh-config': { type: 'string' },
  'accept-new-host-key': { type: 'boolean' },
} as const;

export interface OpenedHost {
  runner: HostRunner;
  dispose(): void;
}

export async function openHost(
  workspace: string,
  name: string,
  o: { sshConfig?: string; acceptNew: boolean },
  ctx: CliContext,
  cmd: string,
): Promise<OpenedHost> {
  const settings = await readSettings(workspace);
  const sshConfigPath = o.sshConfig ?? settings.sshConfigPath;
  const inventory = await loadHostInventory({ workspaceDir: workspace, sshConfigPath, defaultWorkDir: settings.workDir });
  for (const e of inventory.errors) ctx.stderr.write(`airlock ${cmd}: ${e.message}\n`);
  let host;
  try {
    host = findHost(inventory, name);
  } catch (err) {
    throw new InputError(`--host: ${(err as Error).message}`);
  }
  const accept = o.acceptNew || process.env.AIRLOCK_ACCEPT_NEW_HOST_KEY === '1';
  const pool = new SshConnectionPool({
    keepaliveIntervalSec: 15,
    hostKeyPolicy: {
      async confirmUnknownHost(k) {
        if (accept) ctx.stderr.write(`airlock ${cmd}: trusting new host key of ${k.pattern}: ${k.keyType} ${k.fingerprint}\n`);
        else
          ctx.stderr.write(
            `airlock ${cmd}: ${k.pattern} presented an unknown host key ${k.keyType} ${k.fingerprint}; rerun with --accept-new-host-key to trust it\n`,
          );
        return accept;
      },
    },
  });
  return { runner: createHostRunner(host, pool, { sshConfigPath }), dispose: () => pool.dispose() };
}

async function readSettings(workspace: string): Promise<{ sshConfigPath?: string; workDir?: string }> {
  const text = await readFile(join(workspace, '.vscode', 'settings.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const s = (parseJsonc(text, [], { allowTrailingComma: true }) ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
  return { sshConfigPath: str('airlock.ssh.configPath'), workDir: str('airlock.hosts.workDir') };
}
