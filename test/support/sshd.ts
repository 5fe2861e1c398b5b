// Real OpenSSH servers on 127.0.0.1 for integration tests (ours and other areas'):
//
//   const hosts = await startSshHosts(3);        // aliases airlock-test-1..3 in hosts.sshConfigPath
//   ... ssh -F hosts.sshConfigPath airlock-test-1 'hostname'   or Airlock's pool/runners ...
//   await hosts.stop();                          // in `after`: kills sshd and every session it spawned
//
// Each host is its own sshd (own port and host key) in one temp dir that also holds a client key,
// authorized_keys, an ssh config and a known_hosts trusting every test host. All hosts are this
// machine, logged in as the current user (root here), so give each host its own work directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const sshdBin = '/usr/sbin/sshd';

export interface SshTestHost {
  alias: string;
  port: number;
  user: string;
  dir: string;
  hostKeyPath: string;
  /** `ssh-ed25519 AAAA...` of the current host key. */
  publicKey(): string;
  running(): boolean;
  /** Stops sshd and kills every session it spawned (like the machine going down). */
  stop(): Promise<void>;
  /** Starts sshd again on the same port with the same (or rotated) host key. */
  start(): Promise<void>;
  /** Replaces the host key (as a reinstall would; `type` e.g. `ecdsa` for one of another type) and restarts; known_hosts keeps the old key. */
  rotateHostKey(type?: 'ed25519' | 'ecdsa' | 'rsa'): Promise<void>;
}

export interface SshTestHosts {
  dir: string;
  hosts: SshTestHost[];
  user: string;
  /** ssh config with one `Host airlock-test-N` block per host (HostName, Port, User, IdentityFile, UserKnownHostsFile). */
  sshConfigPath: string;
  /** known_hosts trusting every test host's current key. */
  knownHostsPath: string;
  clientKeyPath: string;
  stop(): Promise<void>;
}

/** Why these tests cannot run here, or undefined if they can. Use as `{ skip: sshdSkipReason() }`. */
export function sshdSkipReason(): string | undefined {
  // The prefix tells the count reporter this is a missing real component (a failure when CI=true).
  if (!existsSync(sshdBin)) return `missing real component: ${sshdBin} is not installed (Debian: apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return 'missing real component: sshd test hosts need root (sshd privilege separation); run the integration tier as root';
  if (spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error) return 'missing real component: ssh-keygen is not installed (openssh-client)';
  return undefined;
}

export interface StartSshHostsOptions {
  /** Alias prefix; hosts are `<prefix>-1..N`. Default `airlock-test`. */
  aliasPrefix?: string;
  /** Extra sshd_config lines (they override the defaults), e.g. `['MaxSessions 2']`. */
  sshdConfig?: string[];
}

export async function startSshHosts(count: number, opts: StartSshHostsOptions = {}): Promise<SshTestHosts> {
  const skip = sshdSkipReason();
  if (skip) throw new Error(skip);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'airlock-sshd-'));
  const user = userInfo().username;
  const clientKeyPath = join(dir, 'id_ed25519');
  keygen(clientKeyPath, 'airlock-test-client');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKeyPath}.pub`), { mode: 0o600 });
  const knownHostsPath = join(dir, 'known_hosts');
  const sshConfigPath = join(dir, 'ssh_config');
  const hosts: SshTestHost[] = [];
  try {
    for (let i = 1; i <= count; i++) hosts.push(await startHost(dir, `${opts.aliasPrefix ?? 'airlock-test'}-${i}`, user, opts.sshdConfig ?? []));
  } catch (err) {
    await Promise.all(hosts.map((h) => h.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  writeFileSync(knownHostsPath, hosts.map((h) => `[127.0.0.1]:${h.port} ${h.publicKey()}\n`).join(''), { mode: 0o600 });
  writeFileSync(
    sshConfigPath,
    hosts
      .map((h) =>
        [
          `Host ${h.alias}`,
          '  HostName 127.0.0.1',
          `  Port ${h.port}`,
          `  User ${user}`,
          `  IdentityFile ${clientKeyPath}`,
          '  IdentitiesOnly yes',
          `  UserKnownHostsFile ${knownHostsPath}`,
          '  StrictHostKeyChecking yes',
          '',
        ].join('\n'),
      )
      .join('\n'),
    { mode: 0o600 },
  );
  return {
    dir,
    hosts,
    user,
    sshConfigPath,
    knownHostsPath,
    clientKeyPath,
    async stop() {
      await Promise.all(hosts.map((h) => h.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startHost(root: string, alias: string, user: string, extraConfig: string[]): Promise<SshTestHost> {
  const dir = join(root, alias);
  mkdirSync(dir);
  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  keygen(hostKeyPath, alias);
  const port = await freePort();
  const configPath = join(dir, 'sshd_config');
  // sshd keeps the first value of a keyword, so extra lines go first to override the defaults.
  writeFileSync(
    configPath,
    [
      ...extraConfig,
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(root, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      'MaxSessions 200',
      'MaxStartups 100',
      'LogLevel INFO',
      // As in test/run.mjs: a pyenv lock left by a killed login shell must not stall the next ones.
      `SetEnv PYENV_REHASH_TIMEOUT=${process.env.PYENV_REHASH_TIMEOUT ?? '1'}`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let log = '';

  const host: SshTestHost = {
    alias,
    port,
    user,
    dir,
    hostKeyPath,
    publicKey: () => readFileSync(`${hostKeyPath}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' '),
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    async start() {
      if (host.running()) return;
      log = '';
      const proc = spawn(sshdBin, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = proc;
      live.set(proc, port);
      proc.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
      proc.on('exit', () => live.delete(proc));
      await waitForPort(port, proc, () => log);
    },
    async stop() {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      // Sessions run in their own sessions (sshd calls setsid), so kill the whole tree, not a group.
      for (const pid of [...descendants(proc.pid!), ...sessionProcesses(port)]) tryKill(pid, 'SIGKILL');
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      await exited;
    },
    async rotateHostKey(type = 'ed25519') {
      await host.stop();
      rmSync(hostKeyPath, { force: true });
      rmSync(`${hostKeyPath}.pub`, { force: true });
      keygen(hostKeyPath, `${alias}-rotated`, type);
      await host.start();
    },
  };
  await host.start();
  return host;
}

// Last-resort cleanup if a test file crashes before `after` runs.
const live = new Map<ChildProcess, number>();
process.once('exit', () => {
  for (const [p, port] of live) {
    for (const pid of [...descendants(p.pid!), ...sessionProcesses(port)]) tryKill(pid, 'SIGKILL');
    tryKill(p.pid!, 'SIGKILL');
  }
});

function keygen(path: string, comment: string, type = 'ed25519'): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', comment, '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed for ${path}: ${r.stderr}`);
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`sshd on port ${port} exited (${proc.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd on port ${port} did not start listening: ${log()}`);
}

/** Every process below `pid`, from /proc (children first found, deepest last). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

/**
 * Processes started by sessions on this test host, found by SSH_CONNECTION in their environment:
 * commands whose session already ended were re-parented to init and are no longer below sshd.
 */
function sessionProcesses(port: number): number[] {
  const needle = Buffer.from(` 127.0.0.1 ${port}\0`);
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`);
      const at = env.indexOf('SSH_CONNECTION=');
      if (at < 0) continue;
      const end = env.indexOf(0, at);
      if (env.subarray(at, end + 1).includes(needle)) out.push(Number(entry));
    } catch {
      /* exited meanwhile, or not ours to read */
    }
  }
  return out;
}

function tryKill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}
