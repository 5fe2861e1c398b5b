// Stop Host: runs the host's `stopCommand` from hosts.json. It is the cloud CLI's own command
// (`gcloud compute instances stop …`, `aws ec2 stop-instances …`), so it runs HERE, on the
// controller where that CLI is logged in — never on the host — and deliberately through the shell
// (`bash -lc`, like a line in a terminal): the user wrote it, with their quoting, pipes and
// variables, in their own config file. It runs in its own process group; cancelling kills the group.
import { UserError } from '../errors/userError';
import { runLocal } from '../process/runLocal';
import type { ExecResult } from '../process/exec';
import type { HostSpec } from './types';

export interface StopHostOptions {
  signal?: AbortSignal;
  /** Default 10 minutes (a cloud stop waits for the VM to shut down). */
  timeoutMs?: number;
  /** Directory to run in (the workspace, so relative script paths in the command work). */
  cwd?: string;
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
}

export interface StopHostResult {
  command: string;
  result: ExecResult;
}

/** Runs the stop command; a non-zero exit, a timeout or a missing command throws a UserError with the output's tail and what to do. */
export async function stopHost(spec: HostSpec, opts: StopHostOptions = {}): Promise<StopHostResult> {
  const command = spec.stopCommand;
  const where = spec.origin ? `${spec.origin.file}:${spec.origin.line}` : '.airlock/hosts.json';
  if (!command)
    throw new UserError(`Host "${spec.name}" has no "stopCommand" — add one to its entry in ${where} (e.g. "gcloud compute instances stop VM --zone ZONE").`);
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const result = await runLocal(command, { signal: opts.signal, timeoutMs, cwd: opts.cwd, onStdout: opts.onStdout, onStderr: opts.onStderr });
  if (result.code === 0 && !result.timedOut) return { command, result };
  const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
  const why = result.timedOut
    ? `did not finish within ${Math.round(timeoutMs / 60_000)} min`
    : result.code === null
      ? `was killed by ${result.signal}`
      : `exited with code ${result.code}`;
  throw new UserError(
    `Stopping "${spec.name}" failed: \`${command}\` ${why}.${tail ? `\n${tail}` : ''}\n` +
      `The host may still be running and billing. Run the command in a terminal to see why (is the cloud CLI installed and logged in here?), ` +
      `fix "stopCommand" in ${where}, or stop the machine from the provider's console.`,
  );
}
