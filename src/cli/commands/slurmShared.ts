// What `airlock slurm …` and `airlock phases submit` share: the cluster's login node as a runner
// (hosts.json / ~/.ssh/config, our SSH pool), and the common flags for finding it.
import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from '../types';
import { inputDirFlag, inputFileFlag } from '../flags';
import { InputError, UsageError } from '../errors';
import { findHost, loadHostInventory } from '../../core/hosts/inventory';
import { createHostRunner } from '../../core/hosts/hostRunners';
import type { HostRunner } from '../../core/hosts/types';
import { SshConnectionPool } from '../../core/ssh/connectionPool';
import { SlurmOptionError } from '../../core/slurm/workerArray';
import { cliHostKeyPolicy, readWorkspaceSettings } from './hosts';

export const clusterFlags = {
  workspace: { type: 'string' },
  'ssh-config': { type: 'string' },
  'accept-new-host-key': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export const clusterFlagsUsage = `  --workspace DIR          folder with .airlock/hosts.json (default: current directory)
  --ssh-config PATH        OpenSSH client config (default: ~/.ssh/config)
  --accept-new-host-key    trust a login node's host key seen for the first time (changed keys are refused)`;

export interface ClusterConnection {
  runner: HostRunner;
  dispose(): void;
}

/** Opens the login node named `name` (any host Airlock knows); dispose closes the SSH connection. */
export async function openCluster(
  name: string | undefined,
  values: { workspace?: string; 'ssh-config'?: string; 'accept-new-host-key'?: boolean },
  ctx: CliContext,
  usage: string,
): Promise<ClusterConnection> {
  if (!name) throw new UsageError(`name the cluster's login node (a host from "airlock hosts list")\n${usage}`);
  const workspace = values.workspace === undefined ? process.cwd() : inputDirFlag('--workspace', values.workspace);
  if (values['ssh-config'] !== undefined) inputFileFlag('--ssh-config', values['ssh-config']);
  const settings = await readWorkspaceSettings(workspace);
  const sshConfigPath = values['ssh-config'] ?? settings.sshConfigPath;
  const inventory = await loadHostInventory({ workspaceDir: workspace, sshConfigPath, defaultWorkDir: settings.workDir });
  let host;
  try {
    host = findHost(inventory, name);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const accept = !!values['accept-new-host-key'] || process.env.AIRLOCK_ACCEPT_NEW_HOST_KEY === '1';
  const pool = new SshConnectionPool({ hostKeyPolicy: cliHostKeyPolicy(accept, ctx), keepaliveIntervalSec: 15 });
  return { runner: createHostRunner(host, pool, { sshConfigPath }), dispose: () => pool.dispose() };
}

/** A bad option value is bad input (exit 2), named by its flag. */
export function asUsage(err: unknown): unknown {
  return err instanceof SlurmOptionError ? new UsageError(err.message) : err;
}
