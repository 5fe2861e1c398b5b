// The shapes RunPod's GraphQL API returns for our documents (graphql/*.graphql). Only this folder
// sees them; everything outside speaks PodInfo / PodOffer.

export interface WireRuntimePort {
  ip?: string | null;
  isIpPublic?: boolean | null;
  privatePort?: number | null;
  publicPort?: number | null;
  type?: string | null;
}

export interface WirePod {
  id: string;
  name: string;
  desiredStatus: string;
  podType?: string | null;
  imageName?: string | null;
  gpuCount: number;
  costPerHr: number;
  ports?: string | null;
  env?: Array<string | null> | null;
  createdAt?: string | null;
  lastStartedAt?: string | null;
  lowestBidPriceToResume?: number | null;
  machine?: { gpuTypeId?: string | null; gpuDisplayName?: string | null; secureCloud?: boolean | null } | null;
  runtime?: {
    uptimeInSeconds?: number | null;
    ports?: Array<WireRuntimePort | null> | null;
    gpus?: Array<{ id?: string | null; gpuUtilPercent?: number | null; memoryUtilPercent?: number | null } | null> | null;
  } | null;
}

export interface WireLowestPrice {
  uninterruptablePrice?: number | null;
  minimumBidPrice?: number | null;
  stockStatus?: string | null;
}

export interface WireGpuType {
  id?: string | null;
  displayName?: string | null;
  memoryInGb?: number | null;
  secureCloud?: boolean | null;
  communityCloud?: boolean | null;
  secure?: WireLowestPrice | null;
  community?: WireLowestPrice | null;
}

/** Shared by the on-demand and spot inputs (PodFindAndDeployOnDemandInput / PodRentInterruptableInput). */
export interface WireCreateInput {
  cloudType: 'SECURE' | 'COMMUNITY';
  gpuCount: number;
  gpuTypeId: string;
  imageName: string;
  name: string;
  containerDiskInGb: number;
  volumeInGb: number;
  volumeMountPath?: string;
  ports: string;
  env: Array<{ key: string; value: string }>;
  dockerArgs: string;
  startJupyter: boolean;
  startSsh: boolean;
  supportPublicIp: boolean;
  bidPerGpu?: number;
}
