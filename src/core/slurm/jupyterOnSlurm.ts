// `airlock slurm jupyter` and *Start Jupyter on Slurm…*: submit the Jupyter job, wait until its
// server listens (saying why while it pends), tunnel its port through the login node over the
// pooled ssh2 connection (like `ssh -L`), check that the server answers with our token — and
// cancel the job on any failure or cancel on the way, so nothing is left queued or running.
//
// The job never outlives its controller (the CLI process, the editor window): besides the stop on
// Ctrl+C / Stop / deactivate, a guard command on the login node reads its stdin from our SSH
// connection and runs scancel at end of file — which also comes when this process is SIGKILLed,
// crashes or loses the connection, when no code of ours runs any more.
import type { Client, ClientChannel } from 'ssh2';
import { SshRunner } from '../hosts/sshRunner';
import { shellQuote } from '../shell/quote';
import type { HostRunner } from '../hosts/types';
import { openTunnel, type Tunnel } from '../pods/tunnel';
import { CancelledError, sleep } from '../process/errors';
import { SlurmError } from './slurmClient';
import { stopJupyterJob, submitJupyterJob, waitForJupyterJob, type JupyterJobOptions, type JupyterJobProgress, type SubmittedJupyterJob } from './jupyterJob';

export interface SlurmJupyter {
  cluster: string;
  jobId: string;
  node: string;
  /** Where the server listens, as the login node reaches it. */
  address: string;
  remotePort: number;
  /** The server's base URL on this machine (the tunnel's end): `http://127.0.0.1:PORT/`. */
  url: string;
  token: string;
  dir: string;
  startedAt: number;
  /** Closes the tunnel, cancels the job and waits until Slurm ended it; returns its last state. Once. */
  stop(): Promise<string | undefined>;
}

export interface StartJupyterCall {
  signal?: AbortSignal;
  onSubmitted?: (job: SubmittedJupyterJob) => void;
  onProgress?: (p: JupyterJobProgress) => void;
  /** A forwarded connection failed (the browser or a kernel sees it fail too). */
  onTunnelError?: (e: Error) => void;
  intervalMs?: number;
}

export async function startJupyterOnSlurm(runner: HostRunner, o: JupyterJobOptions = {}, call: StartJupyterCall = {}): Promise<SlurmJupyter> {
  const job = await submitJupyterJob(runner, o, { signal: call.signal });
  call.onSubmitted?.(job);
  let tunnel: Tunnel | undefined;
  let guard: JobGuard | undefined;
  let stopping: Promise<string | undefined> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      tunnel?.close();
      try {
        return await stopJupyterJob(runner, job);
      } finally {
        guard?.close();
      }
    })());
  try {
    if (call.signal?.aborted) throw new CancelledError();
    if (runner instanceof SshRunner) guard = await guardJob(runner, job);
    const at = await waitForJupyterJob(runner, job, {
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.onProgress ? { onProgress: call.onProgress } : {}),
      ...(call.intervalMs ? { intervalMs: call.intervalMs } : {}),
    });
    let url: string;
    if (runner instanceof SshRunner) {
      tunnel = await openTunnel(`slurm:${job.jobId}`, () => runner.connection(), at.port, call.onTunnelError ?? (() => undefined), 0, at.address);
      url = `http://127.0.0.1:${tunnel.localPort}/`;
    } else url = `http://${at.address.includes(':') ? `[${at.address}]` : at.address}:${at.port}/`;
    await waitUntilAnswers(url, job.token, runner.host.name, job.jobId, call.signal);
    return {
      cluster: runner.host.name,
      jobId: job.jobId,
      node: at.node,
      address: at.address,
      remotePort: at.port,
      url,
      token: job.token,
      dir: job.dir,
      startedAt: Date.now(),
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** GET /api/status with the token: 200 is a server that is ours and up; 403 one that ignored the token file. */
async function waitUntilAnswers(url: string, token: string, cluster: string, jobId: string, signal?: AbortSignal): Promise<void> {
  const until = Date.now() + 60_000;
  let last = '';
  for (;;) {
    try {
      const r = await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` }, signal: signal ?? AbortSignal.timeout(30_000) });
      if (r.ok) return;
      if (r.status === 401 || r.status === 403)
        throw new SlurmError(
          `the Jupyter server of job ${jobId} on ${cluster} refused Airlock's token (HTTP ${r.status}): it did not read JUPYTER_TOKEN_FILE — it needs jupyter_server 1.x or newer, and no token or password set in its config`,
          cluster,
        );
      last = `HTTP ${r.status}`;
    } catch (err) {
      if (err instanceof SlurmError || signal?.aborted) throw err;
      last = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    }
    if (Date.now() > until)
      throw new SlurmError(`the Jupyter server of job ${jobId} on ${cluster} wrote its port but does not answer through the tunnel: ${last}`, cluster);
    await sleep(500, signal);
  }
}

interface JobGuard {
  close(): void;
}

/**
 * `scancel JOB` on the login node once our end of the SSH channel is gone, then (when Slurm ended
 * it, at most a few minutes on) the job's directory with its token goes. The shell ignores the
 * hang-up and termination signals sshd may send; only end of file on its stdin ends it.
 */
async function guardJob(runner: SshRunner, job: SubmittedJupyterJob): Promise<JobGuard> {
  if (!/^\d+$/.test(job.jobId)) throw new Error(`guardJob: ${job.jobId} is not a job id`);
  const j = job.jobId;
  const script = [
    "trap '' HUP INT TERM PIPE",
    'cat >/dev/null',
    `scancel ${j} >/dev/null 2>&1`,
    `n=0; while [ $n -lt 300 ] && squeue -h -j ${j} -t PD,R,CG,CF,S,RQ,RS,SO -o %i 2>/dev/null | grep -q .; do sleep 1; n=$((n+1)); done`,
    `rm -rf "$HOME"/${shellQuote(job.dir)}`,
  ].join('\n');
  const { channel } = await runner.withChannel((c: Client) => execChannel(c, `exec bash -lc ${shellQuote(script)}`));
  channel.on('error', () => undefined);
  channel.resume();
  channel.stderr.resume();
  return { close: () => channel.end() };
}

function execChannel(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, channel) => (err ? reject(err) : resolve(channel)));
    } catch (err) {
      reject(err as Error);
    }
  });
}
