// Plain-text tables for `airlock hosts list|probe`.
import type { HostFacts, HostSpec } from '../../core/hosts/types';
import type { TierRule } from '../../core/hosts/tiers';

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function address(h: HostSpec): string {
  if (h.kind === 'local') return 'this machine';
  const user = h.user ? `${h.user}@` : '';
  const port = h.port && h.port !== 22 ? `:${h.port}` : '';
  return `${user}${h.hostName ?? h.name}${port}${h.proxyJump ? ` via ${h.proxyJump}` : ''}`;
}

const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)}G`;

function gpuCell(f: HostFacts): string {
  if (!f.reachable) return '-';
  if (f.gpuError && !f.gpus.length) return `error: ${f.gpuError.slice(0, 60)}`;
  if (!f.gpus.length) return 'none';
  return f.gpus
    .map((g) => `${g.name.replace(/^NVIDIA /, '')} ${(g.memoryUsedMiB / 1024).toFixed(1)}/${(g.memoryTotalMiB / 1024).toFixed(0)}G ${g.utilizationPct}%`)
    .join(', ');
}

export function probeRow(h: HostSpec, f: HostFacts, tier: TierRule | undefined): string[] {
  if (!f.reachable) return [h.name, `unreachable: ${f.reason}`, '-', '-', '-', tier?.name ?? '-'];
  const disk = f.disk ? `${gib(f.disk.availBytes)} free (${f.disk.usedPct}% used)` : '?';
  const load = f.load ? `${f.load[0].toFixed(2)}${f.cpus ? `/${f.cpus} cpu` : ''}` : '?';
  return [h.name, `ok (${f.hostname})`, gpuCell(f), disk, load, tier?.name ?? '-'];
}
