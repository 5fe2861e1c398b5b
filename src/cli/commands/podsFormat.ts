// Plain-text tables and JSON shapes for `airlock pods …`. Never prints env or passwords.
import { costSoFar, formatDollars, formatUptime } from '../../core/pods/cost';
import { sshEndpoint } from '../../core/pods/endpoints';
import type { PodInfo, PodOffer } from '../../core/pods/types';
import { table } from './hostsFormat';

export function offersTable(offers: readonly PodOffer[]): string {
  if (!offers.length) return 'no offers match\n';
  return table([
    ['GPU', 'VRAM', 'COUNT', 'CLOUD', 'KIND', '$/HR', 'STOCK', 'TYPE ID'],
    ...offers.map((o) => [
      o.gpuName,
      `${o.vramGb} GB`,
      String(o.gpuCount),
      o.cloud,
      o.spot ? 'spot' : 'on-demand',
      o.pricePerHour.toFixed(3),
      o.stock,
      o.gpuTypeId,
    ]),
  ]);
}

function metadataCell(m: Record<string, string>): string {
  return (
    Object.entries(m)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || '-'
  );
}

export function podsTable(pods: readonly PodInfo[]): string {
  if (!pods.length) return 'no pods\n';
  return table([
    ['ID', 'NAME', 'STATUS', 'GPU', '$/HR', 'UPTIME', 'COST', 'SSH', 'METADATA'],
    ...pods.map((p) => {
      const ssh = sshEndpoint(p);
      return [
        p.id,
        p.name,
        p.state === p.providerStatus.toLowerCase() ? p.state : `${p.state} (${p.providerStatus})`,
        `${p.gpuCount > 1 ? `${p.gpuCount}× ` : ''}${p.gpuName ?? '?'}${p.spot ? ' spot' : ''}`,
        p.costPerHour.toFixed(3),
        formatUptime(p.uptimeSeconds),
        formatDollars(costSoFar(p)),
        ssh ? `${ssh.host}:${ssh.port}` : '-',
        metadataCell(p.metadata),
      ];
    }),
  ]);
}

/** The JSON a script gets for a pod: PodInfo plus the derived facts (SSH, proxy URL, cost so far). */
export function podJson(p: PodInfo, proxyUrl?: (podId: string, port: number) => string | undefined) {
  const jupyter = p.requestedPorts.some((x) => x.startsWith('8888/')) ? proxyUrl?.(p.id, 8888) : undefined;
  return { ...p, ssh: sshEndpoint(p) ?? null, jupyterProxyUrl: jupyter ?? null, costSoFar: Number(costSoFar(p).toFixed(4)) };
}
