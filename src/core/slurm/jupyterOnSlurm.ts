// `airlock slurm jupyter` and *Start Jupyter on Slurm…*: submit the Jupyter job, wait until its
// server listens (saying why while it pends), tunnel its port through the login node over the
// pooled ssh2 connection (like `ssh -L`), check that the server answers with our token — and
// cancel the job on any failure or cancel on the way, so nothing is left queued or running.
import { SshRunner } from '../hosts/sshRunner';
import type { HostRunner } from '../hosts/types';
import { openTunnel, type Tunnel } from '../pods/tunnel';
import { sleep } from '../process/errors';
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
  let stopping: Promise<string | undefined> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      tunnel?.close();
      return stopJupyterJob(runner, job);
    })());
  try {
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
    if (Date.now() > until) throw new SlurmError(`the Jupyter server of job ${jobId} on ${cluster} wrote its port but does not answer through the tunnel: ${last}`, cluster);
    await sleep(500, signal);
  }
}
