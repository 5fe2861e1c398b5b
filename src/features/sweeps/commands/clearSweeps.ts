import type { SweepsFeature } from '../sweepsFeature';

/** Sweeps: Clear Finished. */
export function clearSweeps(sweeps: SweepsFeature): void {
  sweeps.clear();
}
