// HostRunner over SSH: commands stream line by line over a pooled connection; cancelling or a
// timeout kills the remote process group (TERM, then KILL after a grace period) over a second channel.
import type { Client, ClientChannel } from 'ssh2';
import { CancelledError, sleep, throwIfAborted } from '../process/errors';
import { type ExecOptions, type ExecResult, OutputCapture } from '../process/exec';
import { LineSplitter } from '../process/lineSplitter';
import type { SshConnectionPool } from '../ssh/connectionPool';
import { resolveSshTarget, type SshTarget } from '../ssh/sshTarget';
import { killGroupScript, parsePgidMarker, wrapRemoteCommand } from './remoteCommand';
import { openSftp, sftpDownload, sftpUpload } from './sftpTransfer';
import type { HostRunner, HostSpec } from './types';

export interface SshRunnerOptions {
  /** Where aliases and ProxyJump hops are resolved; default ~/.ssh/config. */
  sshConfigPath?: string;
  /** Time between SIGTERM and SIGKILL when cancelling. Default 2000 ms. */
  killGraceMs?: number;
}

/** How often to retry opening a channel the server refused (about 20 s in total). */
const sessionRetries = 50;

export class SshRunner implements HostRunner {
  private target?: Promise<SshTarget>;

  constructor(
    readonly host: HostSpec,
    private readonly pool: SshConnectionPool,
    private readonly opts: SshRunnerOptions = {},
  ) {}

  /** The resolved connection target (address, user, port, jump chain); resolved once. */
  resolveTarget(): Promise<SshTarget> {
    this.target ??= resolveSshTarget(this.host, { sshConfigPath: this.opts.sshConfigPath });
    return this.target.catch((err) => {
      this.target = undefined;
      throw err;
    });
  }

  /** Forget the resolved target (call after ~/.ssh/config or the host's entry changed). */
  forgetTarget(): void {
    this.target = undefined;
  }

  /** The pooled connection (opening it if needed); useful to open extra channels, e.g. a terminal. */
  async connection(signal?: AbortSignal): Promise<Client> {
    return this.pool.acquire(await this.resolveTarget(), signal);
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    throwIfAborted(opts.signal);
    const wrapped = wrapRemoteCommand(command, { cwd: opts.cwd, env: opts.env });
    const { client, channel } = await this.openExec(wrapped, opts.signal);
    return this.drive(client, channel, opts);
  }

  async download(remotePath: string, localPath: string, signal?: AbortSignal): Promise<void> {
    const { channel: sftp } = await this.withChannel(openSftp, signal);
    await sftpDownload(sftp, remotePath, localPath, this.host.name, signal);
  }

  async upload(localPath: string, remotePath: string, signal?: AbortSignal): Promise<void> {
    const { channel: sftp } = await this.withChannel(openSftp, signal);
    await sftpUpload(sftp, localPath, remotePath, this.host.name, signal);
  }

  /**
   * Opens a channel on the pooled connection. A connection that died since its last use is replaced
   * once; a server refusing another session (sshd MaxSessions, default 10) is retried briefly, never
   * by dropping the connection other channels are using.
   */
  async withChannel<T>(open: (client: Client) => Promise<T>, signal?: AbortSignal): Promise<{ client: Client; channel: T }> {
    let reconnected = false;
    for (let attempt = 0; ; attempt++) {
      const target = await this.resolveTarget();
      const client = await this.pool.acquire(target, signal);
      try {
        return { client, channel: await open(client) };
      } catch (err) {
        const e = err as Error & { reason?: unknown };
        if (!reconnected && /Not connected|No response from server/.test(e.message)) {
          reconnected = true;
          this.pool.drop(target);
          continue;
        }
        if (e.reason === undefined) throw err;
        if (attempt >= sessionRetries)
          throw new Error(
            `${this.host.name} refused another SSH session (${e.message}): too many commands or log tails are open on it at once (sshd MaxSessions)`,
          );
        await sleep(Math.min(100 * (attempt + 1), 500), signal);
      }
    }
  }

  private openExec(command: string, signal?: AbortSignal): Promise<{ client: Client; channel: ClientChannel }> {
    return this.withChannel((client) => execChannel(client, command), signal);
  }

  private drive(client: Client, channel: ClientChannel, opts: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const out = new OutputCapture();
      const err = new OutputCapture();
      let pgid: number | undefined;
      let stopping: 'abort' | 'timeout' | undefined;
      let killing: Promise<void> | undefined;
      let exit: { code: number | null; signal: string | null } = { code: null, signal: null };

      const killGroup = () => {
        if (pgid === undefined || killing) return;
        const afterKill = () => {
          channel.close();
          // sshd only confirms the close once the command is gone; if the kill failed, do not hang.
          setTimeout(() => void finish(), 3000).unref();
        };
        killing = runPlain(client, killGroupScript(pgid, this.opts.killGraceMs ?? 2000)).then(afterKill, afterKill);
      };
      const stop = (why: 'abort' | 'timeout') => {
        if (stopping) return;
        stopping = why;
        // Before the marker arrives there is no group id yet; the marker handler kills then.
        if (pgid !== undefined) killGroup();
      };
      const outLines = new LineSplitter((l) => {
        out.append(l);
        opts.onStdout?.(l);
      });
      const errLines = new LineSplitter((l) => {
        // Usually the first line, but a noisy shell start-up (rc files) may print before it.
        if (pgid === undefined) {
          const id = parsePgidMarker(l);
          if (id !== undefined) {
            pgid = id;
            if (stopping) killGroup();
            return;
          }
        }
        err.append(l);
        opts.onStderr?.(l);
      });
      channel.on('data', (c: Buffer) => outLines.push(c));
      channel.stderr.on('data', (c: Buffer) => errLines.push(c));
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: signal ? `SIG${signal.replace(/^SIG/, '')}` : null };
      });
      channel.end(opts.input ?? '');

      const onAbort = () => stop('abort');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = opts.timeoutMs ? setTimeout(() => stop('timeout'), opts.timeoutMs) : undefined;

      let finished = false;
      const finish = async () => {
        if (finished) return;
        finished = true;
        outLines.flush();
        errLines.flush();
        opts.signal?.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
        // Wait for the group kill to finish, so "cancelled" means the processes are gone.
        if (stopping && pgid !== undefined) {
          killGroup();
          await killing;
        }
        if (stopping === 'abort') return reject(new CancelledError());
        resolve({ ...exit, stdout: out.toString(), stderr: err.toString(), timedOut: stopping === 'timeout' });
      };
      channel.on('close', () => void finish());
      // A channel error is followed by close (or the connection's own close); never let it crash the host.
      channel.on('error', () => undefined);
    });
  }
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

/** Runs a helper command without the wrapper and waits for it to finish. */
function runPlain(client: Client, command: string): Promise<void> {
  return execChannel(client, command).then(
    (ch) =>
      new Promise<void>((resolve) => {
        ch.on('close', () => resolve());
        ch.resume();
        ch.stderr.resume();
        ch.end();
      }),
  );
}
