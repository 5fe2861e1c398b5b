// GPU types the fake rents out: real RunPod ids and display names, prices per GPU and hour of the
// kind RunPod quotes (on-demand and minimum spot bid, per cloud). null = not offered in that cloud.

export interface FakeGpuType {
  id: string;
  displayName: string;
  memoryInGb: number;
  maxGpuCount: number;
  secure: { price: number; spot: number | null } | null;
  community: { price: number; spot: number | null } | null;
}

export const defaultCatalog: FakeGpuType[] = [
  {
    id: 'NVIDIA RTX A5000',
    displayName: 'RTX A5000',
    memoryInGb: 24,
    maxGpuCount: 8,
    secure: { price: 0.27, spot: 0.15 },
    community: { price: 0.16, spot: 0.1 },
  },
  {
    id: 'NVIDIA GeForce RTX 3090',
    displayName: 'RTX 3090',
    memoryInGb: 24,
    maxGpuCount: 8,
    secure: { price: 0.43, spot: 0.26 },
    community: { price: 0.22, spot: 0.12 },
  },
  {
    id: 'NVIDIA GeForce RTX 4090',
    displayName: 'RTX 4090',
    memoryInGb: 24,
    maxGpuCount: 8,
    secure: { price: 0.69, spot: 0.5 },
    community: { price: 0.34, spot: 0.2 },
  },
  { id: 'NVIDIA L4', displayName: 'L4', memoryInGb: 24, maxGpuCount: 8, secure: { price: 0.43, spot: 0.26 }, community: null },
  { id: 'NVIDIA A40', displayName: 'A40', memoryInGb: 48, maxGpuCount: 8, secure: { price: 0.4, spot: null }, community: { price: 0.35, spot: 0.24 } },
  {
    id: 'NVIDIA A100 80GB PCIe',
    displayName: 'A100 PCIe',
    memoryInGb: 80,
    maxGpuCount: 8,
    secure: { price: 1.64, spot: 0.82 },
    community: { price: 1.19, spot: 0.6 },
  },
  {
    id: 'NVIDIA H100 80GB HBM3',
    displayName: 'H100 SXM',
    memoryInGb: 80,
    maxGpuCount: 8,
    secure: { price: 2.99, spot: 1.75 },
    community: { price: 2.69, spot: 1.5 },
  },
];

/** GPUs free per type and cloud at start: plenty, so only tests that exhaust stock meet SUPPLY_CONSTRAINT. */
export const defaultStockPerCloud = 8;
