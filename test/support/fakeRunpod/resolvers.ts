// Root resolvers for graphql(): the fake answers exactly the schema's fields, nothing more,
// and throws the errors RunPod throws (SUPPLY_CONSTRAINT, RUNPOD).
import { runpodError, type FakePod, type FakeRunpodState, type Cloud } from './state';

function stockStatus(free: number, gpuCount: number): string | null {
  if (free < gpuCount) return null;
  return free >= 6 ? 'High' : free >= 3 ? 'Medium' : 'Low';
}

function gpuTypeView(state: FakeRunpodState, t: FakeRunpodState['catalog'][number]) {
  return {
    id: t.id,
    displayName: t.displayName,
    manufacturer: 'Nvidia',
    memoryInGb: t.memoryInGb,
    secureCloud: !!t.secure,
    communityCloud: !!t.community,
    securePrice: t.secure?.price ?? null,
    communityPrice: t.community?.price ?? null,
    secureSpotPrice: t.secure?.spot ?? null,
    communitySpotPrice: t.community?.spot ?? null,
    maxGpuCount: t.maxGpuCount,
    maxGpuCountSecureCloud: t.secure ? t.maxGpuCount : 0,
    maxGpuCountCommunityCloud: t.community ? t.maxGpuCount : 0,
    lowestPrice: ({ input }: { input?: { gpuCount: number; secureCloud?: boolean | null } | null }) => {
      const gpuCount = input?.gpuCount ?? 1;
      const clouds: Cloud[] = input?.secureCloud === true ? ['SECURE'] : input?.secureCloud === false ? ['COMMUNITY'] : ['SECURE', 'COMMUNITY'];
      const offered = clouds.filter((c) => (c === 'SECURE' ? t.secure : t.community) && gpuCount <= t.maxGpuCount);
      const prices = offered.map((c) => (c === 'SECURE' ? t.secure! : t.community!));
      const free = offered.reduce((n, c) => n + state.listedFree(t.id, c), 0);
      const spots = prices.map((p) => p.spot).filter((x): x is number => x !== null);
      return {
        gpuName: t.displayName,
        gpuTypeId: t.id,
        uninterruptablePrice: prices.length ? Math.min(...prices.map((p) => p.price)) : null,
        minimumBidPrice: spots.length ? Math.min(...spots) : null,
        stockStatus: offered.length ? stockStatus(free, gpuCount) : null,
        maxUnreservedGpuCount: free,
        availableGpuCounts: Array.from({ length: Math.min(free, t.maxGpuCount) }, (_, i) => i + 1),
        totalCount: 64,
        rentedCount: 64 - free,
      };
    },
  };
}

export function podView(state: FakeRunpodState, p: FakePod) {
  const t = state.gpuType(p.gpuTypeId)!;
  const running = p.startedAt !== undefined;
  const ssh = state.lifecycle.sshEndpoint;
  const specs = p.ports
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const runtime = running
    ? {
        uptimeInSeconds: Math.floor((Date.now() - p.startedAt!) / 1000),
        container: { cpuPercent: 3, memoryPercent: 12 },
        ports: specs.map((s) => {
          const [num, type] = s.split('/') as [string, string];
          const port = Number(num);
          return type === 'http'
            ? { ip: '100.65.0.2', isIpPublic: false, privatePort: port, publicPort: port, type: 'http' }
            : { ip: port === 22 && ssh ? ssh.ip : p.publicIp, isIpPublic: true, privatePort: port, publicPort: p.tcpPorts.get(port) ?? null, type };
        }),
        gpus: p.gpuUtil.map((u, i) => ({ id: `GPU-${p.id}-${i}`, gpuUtilPercent: u, memoryUtilPercent: p.memoryUtil[i] ?? 0 })),
      }
    : null;
  const avg = p.gpuUtil.reduce((a, b) => a + b, 0) / Math.max(1, p.gpuUtil.length);
  return {
    id: p.id,
    name: p.name,
    desiredStatus: p.desiredStatus,
    podType: p.podType,
    imageName: p.imageName,
    gpuCount: p.gpuCount,
    costPerHr: p.costPerHr,
    adjustedCostPerHr: p.costPerHr,
    ports: p.ports,
    env: p.env.map((e) => `${e.key}=${e.value}`),
    dockerArgs: p.dockerArgs,
    containerDiskInGb: p.containerDiskInGb,
    volumeInGb: p.volumeInGb,
    volumeMountPath: p.volumeMountPath ?? null,
    createdAt: p.createdAt.toISOString(),
    lastStartedAt: p.lastStartedAt?.toISOString() ?? null,
    lastStatusChange: null,
    lowestBidPriceToResume: p.podType === 'INTERRUPTABLE' ? ((p.cloud === 'SECURE' ? t.secure?.spot : t.community?.spot) ?? null) : null,
    uptimeSeconds: running ? Math.floor((Date.now() - p.startedAt!) / 1000) : 0,
    machineId: p.machineId,
    machine: {
      id: p.machineId,
      gpuTypeId: t.id,
      gpuDisplayName: t.displayName,
      secureCloud: p.cloud === 'SECURE',
      podHostId: `${p.id}-64410a1b`,
      supportPublicIp: true,
      gpuType: gpuTypeView(state, t),
    },
    gpus: p.gpuUtil.map((_, i) => ({ id: `GPU-${p.id}-${i}`, podId: p.id })),
    gpuPowerLimitPercent: 100,
    memoryInGb: 62 * p.gpuCount,
    vcpuCount: 8 * p.gpuCount,
    volumeEncrypted: false,
    locked: false,
    runtime,
    latestTelemetry: running ? { state: 'running', averageGpuMetrics: { id: 'avg', percentUtilization: avg } } : null,
  };
}

/** `rootValue` for graphql(): query and mutation fields side by side, as buildSchema expects. */
export function rootResolvers(state: FakeRunpodState, beforeField: (field: string) => Promise<void>, afterField: (field: string) => Promise<void>) {
  const wrap =
    <A, R>(field: string, fn: (args: A) => R) =>
    async (args: A): Promise<Awaited<R>> => {
      await beforeField(field);
      const r = await fn(args);
      await afterField(field);
      return r;
    };
  const view = (p: FakePod) => podView(state, p);
  const input = (a: { input?: Record<string, unknown> | null }) => a.input ?? {};
  return {
    myself: wrap('myself', () => ({
      id: 'user_fake',
      email: 'researcher@example.com',
      pubKey: state.sshKeys.join('\n'),
      currentSpendPerHr: [...state.pods.values()].filter((p) => p.desiredStatus === 'RUNNING').reduce((s, p) => s + p.costPerHr, 0),
      pods: () => [...state.pods.values()].map((p) => (state.touch(p, false), view(p))),
    })),
    pod: wrap('pod', (a: { input?: { podId: string } | null }) => {
      const p = a.input ? state.pods.get(a.input.podId) : undefined;
      if (!p) return null;
      state.touch(p, true);
      return view(p);
    }),
    gpuTypes: wrap('gpuTypes', (a: { input?: { id?: string; ids?: string[] } | null }) =>
      state.catalog.filter((t) => (!a.input?.id || t.id === a.input.id) && (!a.input?.ids || a.input.ids.includes(t.id))).map((t) => gpuTypeView(state, t)),
    ),
    podFindAndDeployOnDemand: wrap('podFindAndDeployOnDemand', (a: { input?: Record<string, unknown> | null }) => view(state.createPod(input(a), false))),
    podRentInterruptable: wrap('podRentInterruptable', (a: { input: Record<string, unknown> }) => view(state.createPod(a.input, true))),
    podStop: wrap('podStop', (a: { input: { podId: string } }) => view(state.stop(a.input.podId))),
    podResume: wrap('podResume', (a: { input: { podId: string; gpuCount?: number | null } }) =>
      view(state.resume(a.input.podId, a.input.gpuCount ?? undefined)),
    ),
    podBidResume: wrap('podBidResume', (a: { input: { podId: string; gpuCount: number; bidPerGpu: number } }) =>
      view(state.resume(a.input.podId, a.input.gpuCount, a.input.bidPerGpu)),
    ),
    podTerminate: wrap('podTerminate', (a: { input: { podId: string } }) => {
      state.terminate(a.input.podId);
      return null;
    }),
    // Schema fields Airlock does not use answer like RunPod does for an operation it refuses.
    podEditJob: () => Promise.reject(runpodError('podEditJob is not supported by the fake')),
    podReset: () => Promise.reject(runpodError('podReset is not supported by the fake')),
    podLock: () => Promise.reject(runpodError('podLock is not supported by the fake')),
    deployCpuPod: () => Promise.reject(runpodError('deployCpuPod is not supported by the fake')),
    cpuTypes: () => [],
    cpuFlavors: () => [],
    dataCenters: () => [],
    countryCodes: () => ['US', 'CA', 'NL'],
  };
}
