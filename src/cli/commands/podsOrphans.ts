// `airlock pods list --orphans`: the table of pods nobody guards, the ones that bill all night.
import { formatDollars } from '../../core/pods/cost';
import type { OrphanPod } from '../../core/pods/orphans';
import { table } from './hostsFormat';

export function orphansTable(orphans: readonly OrphanPod[]): string {
  if (!orphans.length) return 'no orphaned pods: every Airlock pod that bills has a watchdog\n';
  const perHour = orphans.reduce((s, o) => s + o.pod.costPerHour, 0);
  return (
    table([
      ['ID', 'NAME', 'STATUS', 'GPU', '$/HR', 'AGE', 'METADATA'],
      ...orphans.map((o) => [
        o.pod.id,
        o.pod.name,
        o.pod.state,
        `${o.pod.gpuCount > 1 ? `${o.pod.gpuCount}× ` : ''}${o.pod.gpuName ?? '?'}`,
        o.pod.costPerHour.toFixed(3),
        o.ageHours === undefined ? '-' : o.ageHours < 1 ? `${Math.round(o.ageHours * 60)}m` : `${o.ageHours.toFixed(1)}h`,
        Object.entries(o.pod.metadata)
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '-',
      ]),
    ]) + `${orphans.length} pod(s) without a watchdog bill ${formatDollars(perHour)}/hr — stop them or recreate them with a watchdog\n`
  );
}
