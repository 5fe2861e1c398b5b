// One round trip per host: a single shell script prints every fact in a marked section.
import { isCancelled } from '../process/errors';
import { shellQuote } from '../process/exec';
import { errorMessage } from '../text/errorMessage';
import { parseDf, parseLoadavg, parseNvidiaSmi, parseSessions, probeMarker, splitProbeSections } from './probeParse';
import type { HostFacts, HostRunner } from './types';

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Default 20 s; a host that does not answer in time is reported unreachable. */
  timeoutMs?: number;
  /** Directory whose disk is reported; default the host's workDir, else `~`. */
  workDir?: string;
  /** Prepended to PATH for the probe (e.g. where a non-standard nvidia-smi lives). */
  extraPath?: string;
}

const gpuQuery = 'nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits';

/** The probe script; `~` in workDir is expanded remotely. Always exits 0 so partial facts still arrive. */
export function buildProbeScript(workDir: string, extraPath?: string): string {
  const m = (s: string) => `echo '${probeMarker}${s}'`;
  const dir = workDir === '~' ? '"$HOME"' : workDir.startsWith('~/') ? `"$HOME"/${shellQuote(workDir.slice(2))}` : shellQuote(workDir);
  return [
    extraPath ? `PATH=${shellQuote(extraPath)}:"$PATH"; export PATH` : '',
    m('hostname'),
    'hostname 2>/dev/null || uname -n',
    m('nproc'),
    'nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null',
    m('loadavg'),
    'cat /proc/loadavg 2>/dev/null',
    m('df'),
    `df -P -B1 ${dir} 2>&1`,
    m('gpu'),
    `if command -v nvidia-smi >/dev/null 2>&1; then ${gpuQuery} 2>&1; else ${m('no-nvidia-smi')}; fi`,
    m('sessions'),
    // Interactive activity for the idle rule: each logged-in tty and the seconds since its last input.
    'now=$(date +%s); who 2>/dev/null | while read -r u t rest; do a=$(stat -c %X "/dev/$t" 2>/dev/null) && echo "$u $t $((now - a))"; done',
    m('slurm'),
    // A Slurm login node: the client tools are there and a controller answers them (a machine with
    // Debian's slurm-client but no cluster configured is not one). The cluster is read by core/slurm.
    'command -v sbatch >/dev/null 2>&1 && command -v sinfo >/dev/null 2>&1 && { if command -v timeout >/dev/null 2>&1; then timeout 8 sinfo -h -o %P; else sinfo -h -o %P; fi; } >/dev/null 2>&1 && echo slurm',
    m('end'),
    'true',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Turns the probe's stdout into facts (pure; unit tested with recorded outputs). */
export function parseProbeOutput(stdout: string, workDir: string, probedAt = Date.now()): HostFacts {
  const s = splitProbeSections(stdout);
  const text = (name: string) => (s[name] ?? []).join('\n').trim();
  const gpu = 'no-nvidia-smi' in s ? { gpus: [] } : parseNvidiaSmi(text('gpu'));
  const cpus = Number(text('nproc'));
  return {
    reachable: true,
    hostname: text('hostname').split('\n')[0] ?? '',
    gpus: gpu.gpus,
    gpuError: gpu.error,
    disk: parseDf(text('df'), workDir),
    load: parseLoadavg(text('loadavg')),
    cpus: Number.isInteger(cpus) && cpus > 0 ? cpus : undefined,
    ...('sessions' in s ? { sessions: parseSessions(text('sessions')) } : {}),
    ...(text('slurm') === 'slurm' ? { scheduler: 'slurm' as const } : {}),
    probedAt,
  };
}

/** Probes one host. Unreachable hosts resolve `{reachable: false, reason}`; only cancellation rejects. */
export async function probeHost(runner: HostRunner, opts: ProbeOptions = {}): Promise<HostFacts> {
  const workDir = opts.workDir ?? runner.host.workDir ?? '~';
  const timeoutMs = opts.timeoutMs ?? 20_000;
  try {
    const r = await runner.exec(buildProbeScript(workDir, opts.extraPath ?? runner.host.probePath), { signal: opts.signal, timeoutMs });
    if (r.timedOut) return { reachable: false, reason: `the probe did not finish within ${Math.round(timeoutMs / 1000)} s`, probedAt: Date.now() };
    if (!r.stdout.includes(`${probeMarker}end`)) {
      const why = r.stderr.trim().split('\n').pop() || `exit code ${r.code}`;
      return { reachable: false, reason: `the probe script failed: ${why}`, probedAt: Date.now() };
    }
    return parseProbeOutput(r.stdout, workDir);
  } catch (err) {
    if (isCancelled(err)) throw err;
    const reason = errorMessage(err);
    return { reachable: false, reason, probedAt: Date.now() };
  }
}

/** Probes several hosts at once; results keep the input order. */
export function probeHosts(runners: HostRunner[], opts: ProbeOptions = {}): Promise<HostFacts[]> {
  return Promise.all(runners.map((r) => probeHost(r, { ...opts, workDir: opts.workDir ?? r.host.workDir })));
}
