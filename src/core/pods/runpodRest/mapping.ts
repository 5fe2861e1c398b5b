// REST v2 shapes → provider-neutral PodInfo / PodOffer. Metadata lives in the pod's `env` exactly as
// on GraphQL (v2 has no tags either; `env` is returned as an object), so pods tagged through either
// API read the same.
import { decodeAirlockEnv } from '../metadata';
import type { CloudKind, PodInfo, PodOffer, PodPort, PodState, StockLevel } from '../types';
import type { RestGpuType, RestPod } from './types';

export const providerId = 'runpod';

function stateOf(p: RestPod): PodState {
  switch (p.status) {
    case 'PROVISIONING':
    case 'STARTING':
      return 'starting';
    // The document: runtime is null when the pod is not RUNNING; ports come with it.
    case 'RUNNING':
      return p.runtime ? 'running' : 'starting';
    case 'EXITED':
      return 'stopped';
    case 'TERMINATED':
      return 'terminated';
    default:
      return 'error';
  }
}

/** `gpuNames` maps GPU type ids to display names (the pod carries the id only). */
export function toPodInfo(p: RestPod, gpuNames: ReadonlyMap<string, string> = new Map()): PodInfo {
  const airlock = decodeAirlockEnv(Object.entries(p.env ?? {}).map(([k, v]) => `${k}=${v}`));
  const ports: PodPort[] = (p.runtime?.ports ?? [])
    .filter((x) => typeof x.private === 'number')
    .map((x) => ({
      privatePort: x.private!,
      protocol: x.type === 'tcp' ? 'tcp' : 'http',
      // tcp ports with an address and a public port are reachable directly; http goes through the proxy.
      isPublic: x.type === 'tcp' && !!x.ip && typeof x.public === 'number',
      ...(x.ip ? { ip: x.ip } : {}),
      ...(typeof x.public === 'number' ? { publicPort: x.public } : {}),
    }));
  const gpus = p.runtime?.gpus ?? [];
  const state = stateOf(p);
  return {
    provider: providerId,
    id: p.id,
    name: p.name,
    state,
    providerStatus: p.status,
    gpuTypeId: p.gpu?.id,
    gpuName: p.gpu ? (gpuNames.get(p.gpu.id) ?? p.gpu.id) : undefined,
    gpuCount: p.gpu?.count ?? 0,
    costPerHour: p.cost ?? 0,
    image: p.image,
    // v2 rents on-demand only; interruptible (spot) pods exist only through GraphQL.
    spot: false,
    requestedPorts: p.ports ?? [],
    ports,
    uptimeSeconds: state === 'running' ? (p.runtime?.uptime ?? 0) : undefined,
    gpuUtilization: state === 'running' && gpus.length ? gpus.map((g) => g.util ?? 0) : undefined,
    metadata: airlock.metadata,
    managedByAirlock: airlock.managed,
    createId: airlock.createId,
    ...(airlock.watchdog ? { watchdog: airlock.watchdog } : {}),
    createdAt: p.createdAt,
  };
}

function stock(a: string | undefined): StockLevel {
  const v = a?.toLowerCase();
  return v === 'high' || v === 'medium' || v === 'low' ? v : 'none';
}

/** One on-demand offer per GPU type in `cloud`, from a catalog read with include=AVAILABILITY for that cloud. */
export function toOffers(gpus: readonly RestGpuType[], cloud: CloudKind, gpuCount: number): PodOffer[] {
  const out: PodOffer[] = [];
  for (const g of gpus) {
    const offered = cloud === 'SECURE' ? g.secure : g.community;
    const price = cloud === 'SECURE' ? g.price.secure : g.price.community;
    const max = cloud === 'SECURE' ? g.maxCount.secure : g.maxCount.community;
    if (!offered || !(price > 0) || gpuCount > max) continue;
    out.push({
      provider: providerId,
      gpuTypeId: g.id,
      gpuName: g.name,
      vramGb: g.memory,
      gpuCount,
      cloud,
      spot: false,
      pricePerGpu: price,
      pricePerHour: Math.round(price * gpuCount * 1e4) / 1e4,
      stock: stock(g.availability),
    });
  }
  return out;
}
