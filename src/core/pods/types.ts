// Provider-neutral pod types. Nothing here mirrors a GraphQL shape, so RunPod's REST v2 (which
// replaces GraphQL in early 2027) or another cloud can fill the same types.

export type CloudKind = 'SECURE' | 'COMMUNITY';

/** How much of an offer the provider says is left; 'none' means a create will likely fail. */
export type StockLevel = 'high' | 'medium' | 'low' | 'none';

/** One way to rent `gpuCount` GPUs of one type in one cloud, on demand or as spot. */
export interface PodOffer {
  provider: string;
  gpuTypeId: string;
  gpuName: string;
  vramGb: number;
  gpuCount: number;
  cloud: CloudKind;
  spot: boolean;
  /** $/hr for the whole pod (all GPUs); for spot the minimum bid. */
  pricePerHour: number;
  /** $/hr for one GPU (what a spot bid is expressed in). */
  pricePerGpu: number;
  stock: StockLevel;
}

export interface OfferQuery {
  gpuCount: number;
}

/**
 * What a user sees as the pod's state. `starting` covers "created, container not running yet";
 * `running` means the container runs and its ports are mapped.
 */
export type PodState = 'starting' | 'running' | 'stopped' | 'error' | 'terminated';

export interface PodPort {
  privatePort: number;
  protocol: 'http' | 'tcp';
  /** Reachable directly on `ip:publicPort` (tcp ports with a public IP), as opposed to the HTTP proxy. */
  isPublic: boolean;
  ip?: string;
  publicPort?: number;
}

export interface PodInfo {
  provider: string;
  id: string;
  name: string;
  state: PodState;
  /** The provider's own status word (RunPod: RUNNING, EXITED, …) for tooltips and logs. */
  providerStatus: string;
  gpuTypeId?: string;
  gpuName?: string;
  gpuCount: number;
  /** $/hr billed while running (0 when the provider reports no price). */
  costPerHour: number;
  image?: string;
  spot: boolean;
  /** Ports requested at create, as `8888/http`. */
  requestedPorts: string[];
  /** Live mappings; empty until the container runs. */
  ports: PodPort[];
  /** Seconds the container has been up; undefined while not running. */
  uptimeSeconds?: number;
  /** Utilisation per GPU in percent; undefined while not running or unreported. */
  gpuUtilization?: number[];
  /** Key/value metadata Airlock stored on the pod (see metadata.ts). */
  metadata: Record<string, string>;
  /** Created by Airlock (carries the Airlock marker). */
  managedByAirlock: boolean;
  /** The random id Airlock stored at create (finds a pod whose create response was lost). */
  createId?: string;
  /** The on-pod watchdog's rules (seconds, 0 = off) when Airlock installed one. */
  watchdog?: { idleStopSec: number; maxSec: number };
  createdAt?: string;
}

/** Everything needed to create a pod; the offer (GPU type, cloud, count, spot) comes separately. */
export interface PodSpec {
  image: string;
  /** Shown in the provider's console with the `airlock-` prefix added. */
  name: string;
  containerDiskGb?: number;
  volumeGb?: number;
  volumeMountPath?: string;
  /** `8888/http`, `22/tcp`; Jupyter and SSH ports are added when missing. */
  ports?: string[];
  env?: Record<string, string>;
  dockerArgs?: string;
  metadata?: Record<string, string>;
  /** Start Jupyter (default true); the password is generated when not given. */
  jupyter?: boolean;
  jupyterPassword?: string;
  /** Spot only: $/hr per GPU to bid; default the offer's minimum bid. */
  bidPerGpu?: number;
  /** Install the on-pod watchdog (watchdog/install.ts): the pod stops itself when idle or too old. */
  watchdog?: WatchdogSpec;
}

/** The on-pod cost guard's settings; 0 or absent turns a rule off. */
export interface WatchdogSpec {
  idleStopMinutes?: number;
  maxHours?: number;
  /** A GPU at or below this utilisation counts as idle (default 5 %). */
  gpuThresholdPercent?: number;
  /** Seconds between checks on the pod (default 60). */
  intervalSec?: number;
  /** Where the watchdog sends its stop (default https://api.runpod.io; the fake in tests). */
  apiBaseUrl?: string;
}

/** The result of a create: the pod and the Jupyter password (to keep in SecretStorage, never on disk unguarded). */
export interface CreatedPod {
  pod: PodInfo;
  jupyterPassword?: string;
}
