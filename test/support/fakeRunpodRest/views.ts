// The fake's pods as REST v2 `Pod` objects and its catalog as `GpuType`s (the GraphQL fake's state
// underneath, so both APIs see one world). Shapes follow rest_v2_openapi.json; the server asserts it.
import type { FakeRunpodState, FakePod } from '../fakeRunpod/state';
import type { FakeGpuType } from '../fakeRunpod/catalog';

export type Json = Record<string, unknown>;

export function restStatus(p: FakePod, failing: boolean, pullPolls = 2): string {
  if (p.desiredStatus === 'EXITED') return 'EXITED';
  // A bad image fails after the pull was tried (as many polls as a good one takes to start).
  if (failing) return p.polls >= pullPolls ? 'ERROR' : p.polls === 0 ? 'PROVISIONING' : 'STARTING';
  if (p.startedAt !== undefined) return 'RUNNING';
  return p.polls === 0 ? 'PROVISIONING' : 'STARTING';
}

const actionsFor: Record<string, string[]> = {
  RUNNING: ['stop', 'restart', 'terminate'],
  EXITED: ['start', 'terminate'],
  ERROR: ['start', 'terminate'],
  PROVISIONING: ['stop', 'terminate'],
  STARTING: ['stop', 'terminate'],
};

export function podJson(state: FakeRunpodState, p: FakePod, failing: boolean): Json {
  const status = restStatus(p, failing, state.lifecycle.startAfterPolls ?? 2);
  const running = status === 'RUNNING';
  const ssh22 = p.tcpPorts.get(22);
  const ip = state.lifecycle.sshEndpoint?.ip ?? p.publicIp;
  const ports = p.ports
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    id: p.id,
    name: p.name,
    image: p.imageName,
    args: p.dockerArgs,
    disk: p.containerDiskInGb,
    ports,
    env: Object.fromEntries(p.env.map((e) => [e.key, e.value])),
    registry: null,
    status,
    actions: actionsFor[status],
    mounts: p.volumeInGb ? { persistent: { size: p.volumeInGb, path: p.volumeMountPath ?? '/workspace' } } : {},
    gpu: { id: p.gpuTypeId, count: p.gpuCount },
    cloud: p.cloud,
    dataCenterId: 'US-TX-3',
    cudaVersion: '12.8',
    ssh: {
      proxy: { host: 'ssh.runpod.io', port: 22, username: `${p.id}-64411eb2`, command: `ssh ${p.id}-64411eb2@ssh.runpod.io` },
      direct: running && ssh22 ? { host: ip, port: ssh22, username: 'root', command: `ssh root@${ip} -p ${ssh22}` } : null,
    },
    template: null,
    // The document: 0.0 when EXITED or TERMINATED.
    cost: p.desiredStatus === 'RUNNING' ? p.costPerHr : 0,
    locked: false,
    globalNetworking: { enabled: false },
    runtime: running
      ? {
          uptime: Math.floor((Date.now() - p.startedAt!) / 1000),
          gpus: p.gpuUtil.map((u, i) => ({ util: u, memoryUtil: p.memoryUtil[i] ?? 0 })),
          ports: ports.map((spec) => {
            const [num, type] = spec.split('/');
            const priv = Number(num);
            const pub = p.tcpPorts.get(priv);
            return type === 'tcp' ? { private: priv, public: pub ?? null, type: 'tcp', ip } : { private: priv, public: null, type: 'http', ip: null };
          }),
        }
      : null,
    createdAt: p.createdAt.toISOString(),
    startedAt: p.lastStartedAt ? p.lastStartedAt.toISOString() : null,
  };
}

function level(free: number): string {
  return free <= 0 ? 'NONE' : free < 3 ? 'LOW' : free < 6 ? 'MEDIUM' : 'HIGH';
}

/** With `availability` (include=AVAILABILITY&product=POD) stock is for `cloud` and `count`. */
export function gpuTypeJson(state: FakeRunpodState, t: FakeGpuType, availability?: { cloud: 'SECURE' | 'COMMUNITY'; count: number }): Json {
  const base: Json = {
    id: t.id,
    name: t.displayName,
    pool: null,
    manufacturer: 'NVIDIA',
    memory: t.memoryInGb,
    secure: !!t.secure,
    community: !!t.community,
    price: { secure: t.secure?.price ?? 0, community: t.community?.price ?? 0 },
    maxCount: { secure: t.secure ? t.maxGpuCount : 0, community: t.community ? t.maxGpuCount : 0 },
  };
  if (!availability) return base;
  const offered = availability.cloud === 'SECURE' ? t.secure : t.community;
  const free = offered ? state.listedFree(t.id, availability.cloud) : 0;
  const enough = free >= availability.count;
  return {
    ...base,
    availability: enough ? level(free) : 'NONE',
    ...(enough ? { dataCenters: [{ id: 'US-TX-3', name: 'US Texas 3', availability: level(free) }] } : {}),
  };
}
