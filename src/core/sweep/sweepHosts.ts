// How a sweep reaches its hosts, built in one place for the CLI and the editor: one SSH pool for the
// run (ServerAliveInterval / ConnectTimeout from the config's ssh_options, the caller's defaults
// otherwise), hosts whose ssh_options say StrictHostKeyChecking=accept-new trusted on first sight,
// the caller's passphrase prompt, stop_grace_sec as the runner's TERM-to-KILL grace, and `local`
// roles run in the caller's folder. The editor used to build its own copy and lost all of these.
import { LocalRunner } from '../hosts/localRunner';
import { SshRunner } from '../hosts/sshRunner';
import type { HostRunner } from '../hosts/types';
import { SshConnectionPool } from '../ssh/connectionPool';
import { refuseUnknownHostKeys, type HostKeyPolicy } from '../ssh/hostKeyPolicy';
import type { PassphraseProvider } from '../ssh/sshAuth';
import { resolveSshTarget } from '../ssh/sshTarget';
import { poolTimings, type RoleHost } from './roleHosts';
import type { SweepPlan } from './sweepPlan';

export interface SweepHostOptions {
  /** ~/.ssh/config by default; role hosts may be aliases defined there. */
  sshConfigPath?: string;
  /** Asked about unknown host keys of hosts not marked accept-new. Default: refuse. */
  hostKeyPolicy?: HostKeyPolicy;
  /** Asked for the passphrase of an encrypted key (never stored). Default: encrypted keys are skipped. */
  askPassphrase?: PassphraseProvider;
  /** ssh-agent socket (default $SSH_AUTH_SOCK; null: none). */
  agentSocket?: string | null;
  /** Where `local` roles run (a relative repo_dir is relative to it). Default: the process's cwd. */
  localCwd?: string;
  /** Used when no host's ssh_options sets ServerAliveInterval / ConnectTimeout. */
  keepaliveIntervalSec?: number;
  connectTimeoutSec?: number;
}

export interface SweepHosts {
  runnerFor(host: RoleHost): HostRunner;
  dispose(): void;
}

export async function openSweepHosts(plan: SweepPlan, opts: SweepHostOptions): Promise<SweepHosts> {
  const hosts = [...plan.hosts.values()];
  const trusted = new Set<string>();
  for (const h of hosts.filter((x) => x.acceptNewHostKey && x.spec.kind === 'ssh')) {
    const t = await resolveSshTarget(h.spec, { sshConfigPath: opts.sshConfigPath }).catch(() => undefined);
    if (t) trusted.add(`${t.host}:${t.port}`);
  }
  const fallback = opts.hostKeyPolicy ?? refuseUnknownHostKeys;
  const timings = poolTimings(hosts);
  const pool = new SshConnectionPool({
    keepaliveIntervalSec: timings.keepaliveIntervalSec ?? opts.keepaliveIntervalSec,
    connectTimeoutSec: timings.connectTimeoutSec ?? opts.connectTimeoutSec,
    agentSocket: opts.agentSocket,
    askPassphrase: opts.askPassphrase,
    hostKeyPolicy: { confirmUnknownHost: async (k) => trusted.has(`${k.host}:${k.port}`) || fallback.confirmUnknownHost(k) },
  });
  const killGraceMs = plan.schedule.stopGraceSec * 1000;
  const runners = new Map<string, HostRunner>();
  return {
    runnerFor(h) {
      const key = JSON.stringify(h.spec);
      let r = runners.get(key);
      if (!r) {
        r =
          h.spec.kind === 'local'
            ? localRunnerIn(h, opts.localCwd, killGraceMs)
            : new SshRunner(h.spec, pool, { sshConfigPath: opts.sshConfigPath, killGraceMs });
        runners.set(key, r);
      }
      return r;
    },
    dispose: () => pool.dispose(),
  };
}

function localRunnerIn(h: RoleHost, cwd: string | undefined, killGraceMs: number): HostRunner {
  const local = new LocalRunner(h.spec, killGraceMs);
  if (!cwd) return local;
  return {
    host: h.spec,
    exec: (cmd, o = {}) => local.exec(cmd, { ...o, cwd: o.cwd ?? cwd }),
    download: (a, b, s) => local.download(a, b, s),
    upload: (a, b, s) => local.upload(a, b, s),
  };
}
