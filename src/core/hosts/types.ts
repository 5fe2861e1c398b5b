import type { ExecOptions, ExecResult } from '../process/exec';

/** Where a host comes from: the built-in local machine, an alias in ~/.ssh/config, or .airlock/hosts.json. */
export type HostSource = 'builtin' | 'ssh-config' | 'workspace';

export interface HostSpec {
  /** Unique display name; also the id used on the command line (`--host NAME`). */
  name: string;
  kind: 'local' | 'ssh';
  source: HostSource;
  /** Address or ssh alias to connect to (defaults to `name`). */
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles?: string[];
  /** `[user@]host[:port]` or an alias, comma-separated for several hops (OpenSSH syntax). */
  proxyJump?: string;
  /** Directory whose disk is reported and where jobs run by default. */
  workDir?: string;
  /** Explicit tier name; otherwise the tier is derived from the GPUs. */
  tier?: string;
  description?: string;
  /** `slurm`: a cluster's login node (`"scheduler": "slurm"` in hosts.json); else the probe decides. */
  scheduler?: 'slurm';
  /** Dollars per hour while it runs (hosts.json `pricePerHour`): the idle rule watches priced hosts. */
  pricePerHour?: number;
  /** Shell command run on the controller to stop this host (hosts.json `stopCommand`). */
  stopCommand?: string;
  /** Minutes idle before the warning (hosts.json `idleWarnMinutes`, default 30). */
  idleWarnMinutes?: number;
  /** Prepended to PATH for the probe (hosts.json `probePath`). */
  probePath?: string;
  /** File and 1-based line where the host was declared, for messages. */
  origin?: { file: string; line: number };
}

export interface GpuInfo {
  name: string;
  memoryTotalMiB: number;
  memoryUsedMiB: number;
  utilizationPct: number;
}

export interface SessionInfo {
  user: string;
  tty: string;
  idleSec: number;
}

export interface DiskInfo {
  path: string;
  totalBytes: number;
  usedBytes: number;
  availBytes: number;
  usedPct: number;
}

export type HostFacts =
  | {
      reachable: true;
      hostname: string;
      gpus: GpuInfo[];
      /** Why GPUs could not be read, when nvidia-smi exists but failed (no nvidia-smi = no GPU, not an error). */
      gpuError?: string;
      disk?: DiskInfo;
      load?: [number, number, number];
      cpus?: number;
      /** Logged-in terminal sessions (`who`) and seconds since each one's last input (its tty's atime). */
      sessions?: SessionInfo[];
      /** `slurm` when the probe found sbatch and sinfo: the host is a cluster's login node. */
      scheduler?: 'slurm';
      probedAt: number;
    }
  | { reachable: false; reason: string; probedAt: number };

/** Runs commands and moves files on one host: this machine directly, or a remote one over SSH. */
export interface HostRunner {
  readonly host: HostSpec;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  download(remotePath: string, localPath: string, signal?: AbortSignal): Promise<void>;
  upload(localPath: string, remotePath: string, signal?: AbortSignal): Promise<void>;
}
