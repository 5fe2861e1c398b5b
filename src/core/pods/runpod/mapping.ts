import { decodeAirlockEnv } from '../metadata';
import type { PodInfo, PodOffer, PodPort, PodState, StockLevel } from '../types';
import type { WireGpuType, WireLowestPrice, WirePod } from './wire';

export const providerId = 'runpod';

/** RunPod's desiredStatus says what the pod should be; `runtime` says whether the container actually runs. */
function stateOf(p: WirePod): PodState {
  switch (p.desiredStatus) {
    case 'RUNNING':
      return p.runtime ? 'running' : 'starting';
    case 'CREATED':
    case 'RESTARTING':
      return 'starting';
    case 'EXITED':
    case 'PAUSED':
      return 'stopped';
    case 'TERMINATED':
      return 'terminated';
    default:
      return 'error';
  }
}

export function toPodInfo(p: WirePod): PodInfo {
  const airlock = decodeAirlockEnv((p.env ?? []).filter((e): e is string => typeof e === 'string'));
  const ports: PodPort[] = (p.runtime?.ports ?? [])
    .filter((x) => x && typeof x.privatePort === 'number')
    .map((x) => ({
      privatePort: x!.privatePort!,
      protocol: x!.type === 'tcp' ? 'tcp' : 'http',
      isPublic: !!x!.isIpPublic,
      ...(x!.ip ? { ip: x!.ip } : {}),
      ...(x!.publicPort ? { publicPort: x!.publicPort } : {}),
    }));
  const gpus = (p.runtime?.gpus ?? []).filter((g) => g);
  return {
    provider: providerId,
    id: p.id,
    name: p.name,
    state: stateOf(p),
    providerStatus: p.desiredStatus,
    gpuTypeId: p.machine?.gpuTypeId ?? undefined,
    gpuName: p.machine?.gpuDisplayName ?? undefined,
    gpuCount: p.gpuCount,
    costPerHour: p.costPerHr ?? 0,
    image: p.imageName ?? undefined,
    spot: p.podType === 'INTERRUPTABLE' || p.podType === 'BID',
    requestedPorts: (p.ports ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ports,
    uptimeSeconds: p.runtime ? (p.runtime.uptimeInSeconds ?? 0) : undefined,
    gpuUtilization: p.runtime && gpus.length ? gpus.map((g) => g!.gpuUtilPercent ?? 0) : undefined,
    metadata: airlock.metadata,
    managedByAirlock: airlock.managed,
    createId: airlock.createId,
    ...(airlock.watchdog ? { watchdog: airlock.watchdog } : {}),
    createdAt: p.createdAt ?? undefined,
  };
}

function stock(s: string | null | undefined): StockLevel {
  const v = s?.toLowerCase();
  return v === 'high' || v === 'medium' || v === 'low' ? v : 'none';
}

/** Up to four offers per GPU type: {secure, community} × {on-demand, spot}, where RunPod quotes a price. */
export function toOffers(types: ReadonlyArray<WireGpuType | null>, gpuCount: number): PodOffer[] {
  const out: PodOffer[] = [];
  for (const t of types) {
    if (!t?.id) continue;
    const clouds: Array<['SECURE' | 'COMMUNITY', boolean | null | undefined, WireLowestPrice | null | undefined]> = [
      ['SECURE', t.secureCloud, t.secure],
      ['COMMUNITY', t.communityCloud, t.community],
    ];
    for (const [cloud, offered, price] of clouds) {
      if (!offered || !price) continue;
      const base = {
        provider: providerId,
        gpuTypeId: t.id,
        gpuName: t.displayName ?? t.id,
        vramGb: t.memoryInGb ?? 0,
        gpuCount,
        cloud,
        stock: stock(price.stockStatus),
      };
      if (price.uninterruptablePrice)
        out.push({ ...base, spot: false, pricePerGpu: price.uninterruptablePrice, pricePerHour: price.uninterruptablePrice * gpuCount });
      if (price.minimumBidPrice) out.push({ ...base, spot: true, pricePerGpu: price.minimumBidPrice, pricePerHour: price.minimumBidPrice * gpuCount });
    }
  }
  return out;
}
