// One ssh2 Client per host, shared by every exec/sftp channel. Jump hosts are pooled too, so
// ProxyJump chains reuse the hop's connection. A connection that closes is dropped and the next
// `acquire` reconnects.
import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { CancelledError } from '../process/errors';
import { connectSsh, type ConnectOptions } from './connectSsh';
import { HostUnreachableError } from './errors';
import { targetKey, type SshTarget } from './sshTarget';

export type SshPoolOptions = ConnectOptions;

export class SshConnectionPool {
  private readonly live = new Map<string, Client>();
  private readonly pending = new Map<string, Promise<Client>>();
  private opened = 0;
  private disposed = false;

  constructor(private readonly opts: SshPoolOptions) {}

  /** Connections currently open (jump hosts included). */
  get connectionCount(): number {
    return this.live.size;
  }

  /** Connections opened over the pool's lifetime; tests use it to prove channels share one connection. */
  get connectionsOpened(): number {
    return this.opened;
  }

  /** The shared connection to `target`, connecting (once, even when called concurrently) if needed. */
  acquire(target: SshTarget, signal?: AbortSignal): Promise<Client> {
    if (this.disposed) return Promise.reject(new Error('SSH connection pool is closed'));
    const key = targetKey(target);
    const client = this.live.get(key);
    if (client) return Promise.resolve(client);
    let p = this.pending.get(key);
    if (!p) {
      // The shared attempt is not tied to one caller's signal; each caller may still stop waiting.
      p = this.connect(target, key).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return signal ? raceAbort(p, signal) : p;
  }

  /** Closes and forgets the connection to `target` (e.g. after a host's settings changed). */
  drop(target: SshTarget): void {
    const key = targetKey(target);
    this.live.get(key)?.end();
    this.live.delete(key);
  }

  /** Closes every connection; later `acquire` calls fail. */
  dispose(): void {
    this.disposed = true;
    for (const c of this.live.values()) c.end();
    this.live.clear();
  }

  private async connect(target: SshTarget, key: string): Promise<Client> {
    let sock: Duplex | undefined;
    if (target.jumps.length) {
      const hop = target.jumps[target.jumps.length - 1]!;
      const via = await this.acquire({ ...hop, jumps: target.jumps.slice(0, -1) });
      sock = await forward(via, target);
    }
    const client = await connectSsh(target, this.opts, sock);
    if (this.disposed) {
      client.end();
      throw new Error('SSH connection pool is closed');
    }
    this.opened += 1;
    this.live.set(key, client);
    const forget = () => {
      if (this.live.get(key) === client) this.live.delete(key);
    };
    client.on('close', forget);
    client.on('end', forget);
    client.on('error', forget);
    return client;
  }
}

function forward(via: Client, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
      if (err) reject(new HostUnreachableError(target.host, target.port, 'network', `the jump host could not open a connection to it (${err.message})`));
      else resolve(stream);
    });
  });
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
