// Pure parsers for the probe script's output (one marked section per fact). No GPU is normal.
import type { DiskInfo, GpuInfo, SessionInfo } from './types';

export const probeMarker = '@@airlock:';

export interface ProbeSections {
  [section: string]: string[];
}

/** Splits stdout into sections started by `@@airlock:<name>` lines. */
export function splitProbeSections(stdout: string): ProbeSections {
  const sections: ProbeSections = {};
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(probeMarker)) {
      current = sections[line.slice(probeMarker.length).trim()] = [];
    } else if (current) {
      current.push(line);
    }
  }
  return sections;
}

/**
 * Parses `nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits`.
 * `[N/A]`/`[Not Supported]` numbers become 0; text that is not CSV rows (the driver is not loaded,
 * "NVIDIA-SMI has failed...") is returned as `error` with no GPUs.
 */
export function parseNvidiaSmi(text: string): { gpus: GpuInfo[]; error?: string } {
  const gpus: GpuInfo[] = [];
  const other: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const cols = line.split(',').map((c) => c.trim());
    if (cols.length === 4 && cols[0] && [cols[1], cols[2], cols[3]].every(isNumberOrNa) && [cols[1], cols[2]].some((c) => !isNa(c!))) {
      gpus.push({ name: cols[0], memoryTotalMiB: num(cols[1]!), memoryUsedMiB: num(cols[2]!), utilizationPct: num(cols[3]!) });
    } else {
      other.push(line);
    }
  }
  if (!gpus.length && other.length) return { gpus, error: other.join(' ') };
  return other.length ? { gpus, error: other.join(' ') } : { gpus };
}

const isNa = (c: string) => /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions)\]?$/i.test(c);
const isNumberOrNa = (c: string | undefined) => c !== undefined && (isNa(c) || /^-?\d+(\.\d+)?$/.test(c));
const num = (c: string) => (isNa(c) ? 0 : Number(c));

/** Parses `df -P -B1 <dir>` (header + one row; long device names may wrap onto a second line). */
export function parseDf(text: string, path: string): DiskInfo | undefined {
  const lines = text.split('\n').filter((l) => l.trim());
  const header = lines.findIndex((l) => /^Filesystem\s/.test(l));
  if (header < 0) return undefined;
  const fields = lines
    .slice(header + 1)
    .join(' ')
    .trim()
    .split(/\s+/);
  // Filesystem 1-blocks Used Available Capacity Mounted-on: the numbers follow the device name.
  const i = fields.findIndex((f, k) => k > 0 && /^\d+$/.test(f));
  if (i < 0 || fields.length < i + 4) return undefined;
  const [total, used, avail] = [Number(fields[i]), Number(fields[i + 1]), Number(fields[i + 2])];
  if (![total, used, avail].every(Number.isFinite)) return undefined;
  const pct = Number(fields[i + 3]!.replace('%', ''));
  return {
    path,
    totalBytes: total,
    usedBytes: used,
    availBytes: avail,
    // df rounds capacity up from used/(used+avail); fall back to that when it printed "-".
    usedPct: Number.isFinite(pct) ? pct : used + avail > 0 ? Math.ceil((used * 100) / (used + avail)) : 0,
  };
}

/** Parses `/proc/loadavg` (`0.52 0.58 0.59 1/389 12345`). */
export function parseLoadavg(text: string): [number, number, number] | undefined {
  const m = /^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Parses the probe's `user tty idle-seconds` lines (one per logged-in terminal); malformed lines are skipped. */
export function parseSessions(text: string): SessionInfo[] {
  const out: SessionInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(-?\d+)\s*$/.exec(line.trim());
    if (m) out.push({ user: m[1]!, tty: m[2]!, idleSec: Math.max(0, Number(m[3])) });
  }
  return out;
}
