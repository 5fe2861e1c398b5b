// The fake's world: GPU stock per type and cloud, and pods with RunPod's lifecycle
// (runtime null until the container "starts", stop → EXITED, resume, terminate → gone).
import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { defaultCatalog, defaultStockPerCloud, type FakeGpuType } from './catalog';

export type Cloud = 'SECURE' | 'COMMUNITY';

export const supplyConstraintMessage = 'There are no longer any instances available with the requested specifications. Please refresh and try again.';

export interface FakePod {
  id: string;
  name: string;
  imageName: string;
  gpuTypeId: string;
  cloud: Cloud;
  gpuCount: number;
  podType: 'RESERVED' | 'INTERRUPTABLE';
  costPerHr: number;
  bidPerGpu?: number;
  ports: string;
  env: Array<{ key: string; value: string }>;
  dockerArgs: string;
  containerDiskInGb: number;
  volumeInGb: number;
  volumeMountPath?: string;
  desiredStatus: 'RUNNING' | 'EXITED';
  createdAt: Date;
  lastStartedAt?: Date;
  /** When the current run was requested (create or resume); the start delay counts from here. */
  runRequestedAt: number;
  /** When the container started; undefined = runtime null. */
  startedAt?: number;
  polls: number;
  neverReady: boolean;
  publicIp: string;
  /** privatePort → publicPort for tcp ports; new on every start, as on RunPod. */
  tcpPorts: Map<number, number>;
  gpuUtil: number[];
  memoryUtil: number[];
  machineId: string;
}

export interface LifecycleOptions {
  /** The container starts on the Nth `pod` query after create/resume (default 2). */
  startAfterPolls?: number;
  /** …or this many ms after create/resume, whichever comes first (default: off). */
  startAfterMs?: number;
  /** New pods never start (runtime stays null). */
  neverReady?: boolean;
  /** Map 22/tcp of every pod to this address (e.g. a local sshd for tunnel tests). */
  sshEndpoint?: { ip: string; port: number };
}

export function runpodError(message: string, code = 'RUNPOD'): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function podId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(14)].map((b) => alphabet[b % alphabet.length]).join('');
}

export class FakeRunpodState {
  readonly catalog: FakeGpuType[];
  readonly pods = new Map<string, FakePod>();
  /** `${gpuTypeId}|${cloud}` → GPUs free. */
  private readonly stock = new Map<string, number>();
  /** What lowestPrice claims is free when it lags behind reality (RunPod caches its listing). */
  private readonly listed = new Map<string, number>();
  lifecycle: Required<Pick<LifecycleOptions, 'neverReady'>> & LifecycleOptions;
  defaultGpuUtil = 0;
  /** The account's registered SSH public keys (REST GET /v2/account/ssh-keys, GraphQL myself.pubKey). */
  sshKeys = ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests tests@airlock'];
  private nextIp = 10;

  constructor(o: LifecycleOptions & { catalog?: FakeGpuType[]; stockPerCloud?: number } = {}) {
    this.catalog = o.catalog ?? defaultCatalog;
    this.lifecycle = { startAfterPolls: 2, ...o, neverReady: o.neverReady ?? false };
    for (const t of this.catalog) {
      if (t.secure) this.stock.set(`${t.id}|SECURE`, o.stockPerCloud ?? defaultStockPerCloud);
      if (t.community) this.stock.set(`${t.id}|COMMUNITY`, o.stockPerCloud ?? defaultStockPerCloud);
    }
  }

  gpuType(id: string): FakeGpuType | undefined {
    return this.catalog.find((t) => t.id === id);
  }

  free(gpuTypeId: string, cloud: Cloud): number {
    return this.stock.get(`${gpuTypeId}|${cloud}`) ?? 0;
  }

  /** What the price listing reports as free (stale when a test set `listed`). */
  listedFree(gpuTypeId: string, cloud: Cloud): number {
    return this.listed.get(`${gpuTypeId}|${cloud}`) ?? this.free(gpuTypeId, cloud);
  }

  setStock(gpuTypeId: string, cloud: Cloud, count: number, listed?: number): void {
    if (!this.gpuType(gpuTypeId)) throw new Error(`unknown GPU type ${gpuTypeId}`);
    this.stock.set(`${gpuTypeId}|${cloud}`, count);
    if (listed === undefined) this.listed.delete(`${gpuTypeId}|${cloud}`);
    else this.listed.set(`${gpuTypeId}|${cloud}`, listed);
  }

  private take(gpuTypeId: string, cloud: Cloud, n: number): boolean {
    const free = this.free(gpuTypeId, cloud);
    if (free < n) return false;
    this.stock.set(`${gpuTypeId}|${cloud}`, free - n);
    return true;
  }

  private give(p: FakePod): void {
    this.stock.set(`${p.gpuTypeId}|${p.cloud}`, this.free(p.gpuTypeId, p.cloud) + p.gpuCount);
  }

  createPod(input: Record<string, unknown>, spot: boolean): FakePod {
    const gpuCount = (input.gpuCount as number | undefined) ?? 1;
    const ids = (input.gpuTypeIdList as string[] | undefined) ?? (input.gpuTypeId ? [input.gpuTypeId as string] : []);
    if (!ids.length) throw runpodError('gpuTypeId is required');
    if (!input.imageName) throw runpodError('imageName is required');
    if (!Number.isInteger(gpuCount) || gpuCount < 1) throw runpodError('gpuCount must be at least 1');
    const ports = (input.ports as string | undefined) ?? '';
    for (const p of ports.split(',').filter(Boolean)) if (!/^\d{1,5}\/(http|tcp|udp)$/.test(p.trim())) throw runpodError(`Invalid port specification "${p}"`);
    const cloudType = (input.cloudType as string | undefined) ?? 'ALL';
    const clouds: Cloud[] = cloudType === 'SECURE' ? ['SECURE'] : cloudType === 'COMMUNITY' ? ['COMMUNITY'] : ['SECURE', 'COMMUNITY'];
    for (const id of ids) {
      const t = this.gpuType(id);
      if (!t) throw runpodError(`Invalid GPU type "${id}"`);
      for (const cloud of clouds) {
        const offer = cloud === 'SECURE' ? t.secure : t.community;
        if (!offer || gpuCount > t.maxGpuCount) continue;
        if (spot) {
          const bid = input.bidPerGpu as number | undefined;
          if (offer.spot === null) continue;
          if (bid === undefined || bid < offer.spot) throw runpodError(`Your bid of $${bid ?? 0} is below the minimum bid price of $${offer.spot} per GPU`);
        }
        if (!this.take(id, cloud, gpuCount)) continue;
        const now = Date.now();
        const pod: FakePod = {
          id: podId(),
          name: (input.name as string | undefined) || `pod-${now}`,
          imageName: input.imageName as string,
          gpuTypeId: id,
          cloud,
          gpuCount,
          podType: spot ? 'INTERRUPTABLE' : 'RESERVED',
          costPerHr: round((spot ? (input.bidPerGpu as number) : offer.price) * gpuCount),
          bidPerGpu: spot ? (input.bidPerGpu as number) : undefined,
          ports,
          env: (input.env as Array<{ key: string; value: string }> | undefined) ?? [],
          dockerArgs: (input.dockerArgs as string | undefined) ?? '',
          containerDiskInGb: (input.containerDiskInGb as number | undefined) ?? 50,
          volumeInGb: (input.volumeInGb as number | undefined) ?? 0,
          volumeMountPath: input.volumeMountPath as string | undefined,
          desiredStatus: 'RUNNING',
          createdAt: new Date(now),
          runRequestedAt: now,
          polls: 0,
          neverReady: this.lifecycle.neverReady,
          publicIp: `203.0.113.${this.nextIp++ % 250}`,
          tcpPorts: new Map(),
          gpuUtil: Array.from({ length: gpuCount }, () => this.defaultGpuUtil),
          memoryUtil: Array.from({ length: gpuCount }, () => 0),
          machineId: podId().slice(0, 12),
        };
        this.pods.set(pod.id, pod);
        return pod;
      }
    }
    throw runpodError(supplyConstraintMessage, 'SUPPLY_CONSTRAINT');
  }

  /** Counts a poll and starts the container when its delay is over. */
  touch(p: FakePod, poll: boolean): void {
    if (poll) p.polls++;
    if (p.desiredStatus !== 'RUNNING' || p.startedAt !== undefined || p.neverReady) return;
    const { startAfterPolls, startAfterMs } = this.lifecycle;
    const byPolls = startAfterPolls !== undefined && p.polls >= startAfterPolls;
    const byTime = startAfterMs !== undefined && Date.now() - p.runRequestedAt >= startAfterMs;
    if (byPolls || byTime || (startAfterPolls === undefined && startAfterMs === undefined)) this.start(p);
  }

  start(p: FakePod): void {
    p.startedAt = Date.now();
    p.lastStartedAt = new Date(p.startedAt);
    p.tcpPorts.clear();
    for (const spec of p.ports
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.endsWith('/tcp'))) {
      const port = Number(spec.split('/')[0]);
      const ssh = this.lifecycle.sshEndpoint;
      p.tcpPorts.set(port, port === 22 && ssh ? ssh.port : 10000 + Math.floor(Math.random() * 50000));
    }
  }

  stop(id: string): FakePod {
    const p = this.mustGet(id);
    if (p.desiredStatus === 'RUNNING') this.give(p);
    p.desiredStatus = 'EXITED';
    p.startedAt = undefined;
    return p;
  }

  resume(id: string, gpuCount: number | undefined, bidPerGpu?: number): FakePod {
    const p = this.mustGet(id);
    if (p.desiredStatus === 'RUNNING') throw runpodError('Pod is already running');
    if (gpuCount !== undefined && gpuCount !== p.gpuCount) throw runpodError(`Pod has ${p.gpuCount} GPUs; resume asked for ${gpuCount}`);
    if (p.podType === 'INTERRUPTABLE') {
      if (bidPerGpu === undefined) throw runpodError('Interruptable pods resume with podBidResume');
      p.bidPerGpu = bidPerGpu;
      p.costPerHr = round(bidPerGpu * p.gpuCount);
    } else if (bidPerGpu !== undefined) throw runpodError('On-demand pods resume with podResume');
    if (!this.take(p.gpuTypeId, p.cloud, p.gpuCount)) throw runpodError('There are not enough free GPUs on the host machine to start this pod.');
    p.desiredStatus = 'RUNNING';
    p.runRequestedAt = Date.now();
    p.polls = 0;
    p.neverReady = this.lifecycle.neverReady;
    return p;
  }

  terminate(id: string): void {
    const p = this.mustGet(id);
    if (p.desiredStatus === 'RUNNING') this.give(p);
    this.pods.delete(id);
  }

  mustGet(id: string): FakePod {
    const p = this.pods.get(id);
    if (!p) throw runpodError(`Pod not found: ${id}`);
    return p;
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
