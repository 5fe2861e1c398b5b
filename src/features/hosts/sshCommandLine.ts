import type { SshTarget } from '../../core/ssh/sshTarget';
import type { HostSpec } from '../../core/hosts/types';
import { shellQuote } from '../../core/process/exec';

/**
 * The `ssh` command a user can paste in a terminal. An alias from ~/.ssh/config stays an alias
 * (so the user's own settings apply); other hosts get explicit -p/-i/-J flags.
 */
export function sshCommandLine(target: SshTarget, spec: HostSpec): string {
  if (spec.source === 'ssh-config') return `ssh ${shellQuote(spec.name)}`;
  const parts = ['ssh'];
  if (target.port !== 22) parts.push('-p', String(target.port));
  if (target.identityFiles[0]) parts.push('-i', shellQuote(target.identityFiles[0]));
  if (target.jumps.length) parts.push('-J', target.jumps.map((j) => `${j.user}@${j.host}${j.port !== 22 ? `:${j.port}` : ''}`).join(','));
  parts.push(shellQuote(`${target.user}@${target.host}`));
  return parts.join(' ');
}
