// A real Slurm cluster on 127.0.0.1 for integration tests: munged, slurmctld and one slurmd, all in
// one temp dir with free ports, so several clusters (other test files, other checkouts) coexist.
//
//   const cluster = await startSlurmCluster();          // ~3 s; SLURM_CONF is cluster.confPath
//   cluster.run('sbatch', '--wrap', 'true')             // the client tools, with this cluster's env
//   const hosts = await startSshHosts(1, { sshdConfig: cluster.sshdConfig() });  // a "login node"
//   await cluster.stop();                               // cancels jobs, kills only our processes
//
// The node `n1` declares 8 CPUs and 4 GPUs. The GPUs are GRES backed by symlinks to /dev/null
// (Slurm 22.05 drops file-less GPUs, and wants a character device), so `--gres=gpu:N` is really
// scheduled: a job gets CUDA_VISIBLE_DEVICES, a fifth one-GPU job waits with reason (Resources).
// No cgroups: proctrack/linuxproc, task/none. No slurmdbd: accounting_storage/none, so `sacct`
// answers "Slurm accounting storage is disabled"; finished jobs stay in `squeue --states=all` for
// MinJobAge (600 s) and are appended to the jobcomp/filetxt file (`cluster.jobcompPath`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type SshTestHost } from './sshd';

const bins = { munged: '/usr/sbin/munged', slurmctld: '/usr/sbin/slurmctld', slurmd: '/usr/sbin/slurmd', sbatch: '/usr/bin/sbatch' };

/** Why Slurm tests cannot run here, or undefined if they can. Use as `{ skip: slurmSkipReason() }`. */
export function slurmSkipReason(): string | undefined {
  for (const [name, path] of Object.entries(bins))
    if (!existsSync(path)) return `missing real component: ${name} (${path}) is not installed (Debian: apt-get install slurm-wlm slurm-client munge)`;
  if (process.getuid?.() !== 0) return 'missing real component: the test Slurm cluster runs slurmd as root; run the integration tier as root';
  return undefined;
}

export interface StartSlurmOptions {
  cpus?: number;
  gpus?: number;
  /** KillWait: seconds between SIGTERM and SIGKILL on cancel and at the time limit (default 10). */
  killWaitSec?: number;
  /**
   * AuthInfo cred_expire: a job step credential's lifetime, and how long a requeued job waits
   * before it may start again (BeginTime; Slurm's default 120 s).
   */
  credExpireSec?: number;
}

export interface SlurmTestCluster {
  dir: string;
  confPath: string;
  clusterName: string;
  node: string;
  partition: string;
  jobcompPath: string;
  /** The environment a client needs: SLURM_CONF (the munge socket is named in slurm.conf). */
  env: Record<string, string>;
  /**
   * sshd_config lines that give a login node's sessions this cluster (for startSshHosts), and a
   * HOME of their own (`<dir>/home`), so ~/.airlock on the "cluster" is not root's real one.
   */
  sshdConfig(): string[];
  /** The login node's (and the jobs') HOME. */
  home: string;
  /** Makes a host started with `sshdConfig()` a login node whose SFTP starts in `home` too (restarts its sshd). */
  makeLoginNode(host: SshTestHost): Promise<void>;
  /** Runs a client tool (sbatch, squeue, scontrol…) against this cluster; throws on a non-zero exit. */
  run(tool: string, ...args: string[]): string;
  /** Waits until `check` returns a value (polling every 200 ms), or throws after `timeoutMs`. */
  waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startSlurmCluster(opts: StartSlurmOptions = {}): Promise<SlurmTestCluster> {
  const skip = slurmSkipReason();
  if (skip) throw new Error(skip);
  const dir = mkdtempSync(join(tmpdir(), 'airlock-slurm-'));
  const cpus = opts.cpus ?? 8;
  const gpus = opts.gpus ?? 4;
  const clusterName = `airlock${randomBytes(3).toString('hex')}`;
  const node = 'n1';
  const partition = 'gpu';
  for (const d of ['state', 'spool', 'log', 'munge', 'dev', 'home']) mkdirSync(join(dir, d), { mode: 0o700 });
  const mungeSocket = join(dir, 'munge/munge.socket');
  const keyPath = join(dir, 'munge/munge.key');
  writeFileSync(keyPath, randomBytes(1024), { mode: 0o400 });
  for (let i = 0; i < gpus; i++) symlinkSync('/dev/null', join(dir, `dev/gpu${i}`));
  const [ctldPort, dPort] = await Promise.all([freePort(), freePort()]);
  const confPath = join(dir, 'slurm.conf');
  const jobcompPath = join(dir, 'jobcomp.txt');
  const p = (s: string) => join(dir, s);
  writeFileSync(
    confPath,
    [
      `ClusterName=${clusterName}`,
      'SlurmctldHost=localhost(127.0.0.1)',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${mungeSocket}${opts.credExpireSec ? `,cred_expire=${opts.credExpireSec}` : ''}`,
      `StateSaveLocation=${p('state')}`,
      `SlurmdSpoolDir=${p('spool')}/%n`,
      `SlurmctldPidFile=${p('slurmctld.pid')}`,
      `SlurmdPidFile=${p('slurmd-%n.pid')}`,
      `SlurmctldLogFile=${p('log/slurmctld.log')}`,
      `SlurmdLogFile=${p('log/slurmd-%n.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/linux',
      'JobAcctGatherFrequency=5',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/filetxt',
      `JobCompLoc=${jobcompPath}`,
      'SchedulerType=sched/backfill',
      'SchedulerParameters=sched_interval=2',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'ReturnToService=2',
      // The node declares more CPUs than this machine has: accept the configuration as written.
      'SlurmdParameters=config_overrides',
      'GresTypes=gpu',
      'SlurmctldTimeout=30',
      'SlurmdTimeout=60',
      'InactiveLimit=0',
      'MinJobAge=600',
      `KillWait=${opts.killWaitSec ?? 10}`,
      'OverTimeLimit=0',
      'MessageTimeout=30',
      `NodeName=${node} NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=4000 Gres=gpu:${gpus} State=UNKNOWN`,
      `PartitionName=${partition} Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  writeFileSync(p('gres.conf'), `AutoDetect=off\nNodeName=${node} Name=gpu File=${p('dev/gpu')}[0-${gpus - 1}]\n`);
  const env = { SLURM_CONF: confPath };
  const childEnv = { ...process.env, ...env };
  const procs: ChildProcess[] = [];
  const logs = new Map<string, string>();
  const daemon = (name: string, bin: string, args: string[]) => {
    const child = spawn(bin, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (c: Buffer) => ((log = (log + c.toString()).slice(-6000)), logs.set(name, log));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    procs.push(child);
    live.add(cluster);
    return child;
  };
  const run = (tool: string, ...args: string[]) => {
    const r = spawnSync(tool, args, { env: childEnv, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const waitFor = async <T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined && v !== false) return v;
      for (const c of procs)
        if (c.exitCode !== null)
          throw new Error(`a Slurm daemon exited (${c.spawnfile} ${c.exitCode}) while waiting for ${what}: ${[...logs.values()].join('\n')}`);
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; logs:\n${tail(p('log/slurmctld.log'))}\n${tail(p(`log/slurmd-${node}.log`))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  let stopped = false;
  const cluster: SlurmTestCluster = {
    dir,
    confPath,
    clusterName,
    node,
    partition,
    jobcompPath,
    env,
    home: p('home'),
    sshdConfig: () => [`SetEnv SLURM_CONF=${confPath} HOME=${p('home')} PYENV_REHASH_TIMEOUT=${process.env.PYENV_REHASH_TIMEOUT ?? '1'}`],
    async makeLoginNode(host) {
      // SFTP resolves ~ where it starts: give it the shell's HOME (sshd allows one Subsystem line).
      const config = join(host.dir, 'sshd_config');
      writeFileSync(config, readFileSync(config, 'utf8').replace(/^Subsystem sftp .*$/m, `Subsystem sftp internal-sftp -d ${p('home')}`));
      await host.stop();
      await host.start();
    },
    run,
    waitFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      live.delete(cluster);
      // Jobs first, so their steps get SIGTERM as on a real cluster; then everything of ours.
      spawnSync('scancel', ['--full', '--user', 'root'], { env: childEnv, timeout: 20_000 });
      const until = Date.now() + 15_000;
      const busy = () => spawnSync('squeue', ['-h', '-t', 'running,completing,configuring', '-o', '%i'], { env: childEnv, encoding: 'utf8' }).stdout.trim();
      while (Date.now() < until && busy()) await new Promise((r) => setTimeout(r, 200));
      killAll(cluster.confPath, procs);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    daemon('munged', bins.munged, [
      '-F',
      '-f',
      `--socket=${mungeSocket}`,
      `--key-file=${keyPath}`,
      `--pid-file=${p('munge/munged.pid')}`,
      `--log-file=${p('munge/munged.log')}`,
      `--seed-file=${p('munge/munged.seed')}`,
    ]);
    await waitFor('munged', () => existsSync(mungeSocket), 20_000);
    daemon('slurmctld', bins.slurmctld, ['-D', '-i', '-f', confPath]);
    await waitFor('slurmctld', () => spawnSync('scontrol', ['ping'], { env: childEnv, encoding: 'utf8' }).stdout.includes('is UP'), 30_000);
    daemon('slurmd', bins.slurmd, ['-D', '-N', node, '-f', confPath]);
    await waitFor(
      'the node to be idle',
      () => /^idle\s*$/m.test(spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { env: childEnv, encoding: 'utf8' }).stdout),
      60_000,
    );
  } catch (err) {
    killAll(confPath, procs);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return cluster;
}

// Last resort if a test file crashes before `after` runs.
const live = new Set<SlurmTestCluster>();
process.once('exit', () => {
  for (const c of live) killAll(c.confPath, []);
});

/** Kills our daemons' process groups and every process (slurmstepd, job steps) started with our SLURM_CONF. */
function killAll(confPath: string, procs: ChildProcess[]): void {
  for (const c of procs) if (c.pid && c.exitCode === null) tryKill(-c.pid, 'SIGKILL');
  for (const pid of ourProcesses(confPath)) tryKill(pid, 'SIGKILL');
}

/** Processes whose environment has this cluster's SLURM_CONF: only ours, never another cluster's. */
function ourProcesses(confPath: string): number[] {
  const needle = Buffer.from(`SLURM_CONF=${confPath}\0`);
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(needle)) out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return `(no ${path})`;
  }
}

function tryKill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}
