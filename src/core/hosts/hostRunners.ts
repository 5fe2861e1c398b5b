// Picks the runner for a host: the local machine directly, everything else over the SSH pool.
import type { SshConnectionPool } from '../ssh/connectionPool';
import { LocalRunner } from './localRunner';
import { SshRunner, type SshRunnerOptions } from './sshRunner';
import type { HostRunner, HostSpec } from './types';

export function createHostRunner(host: HostSpec, pool: SshConnectionPool, opts: SshRunnerOptions = {}): HostRunner {
  return host.kind === 'local' ? new LocalRunner(host) : new SshRunner(host, pool, opts);
}
