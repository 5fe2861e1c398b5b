import { matchesOfferFilter, type FilterClause } from './offerFilter';
import type { CloudKind, PodOffer } from './types';

/** The editor's QuickPick filters; the CLI's expression compiles to clauses instead. */
export interface OfferCriteria {
  minVramGb?: number;
  maxPricePerHour?: number;
  /** Case-insensitive substring of the GPU name or type id. */
  gpuName?: string;
  cloud?: CloudKind;
  /** true: spot only; false: on-demand only; undefined: both. */
  spot?: boolean;
  /** Keep offers the provider reports as out of stock (default: drop them; creating would fail). */
  includeUnavailable?: boolean;
  clauses?: readonly FilterClause[];
}

/** Filters offers and sorts them cheapest first (then more VRAM, then name), the order create tries them in. */
export function selectOffers(offers: readonly PodOffer[], c: OfferCriteria = {}): PodOffer[] {
  const name = c.gpuName?.toLowerCase();
  return offers
    .filter(
      (o) =>
        (c.includeUnavailable || o.stock !== 'none') &&
        (c.minVramGb === undefined || o.vramGb >= c.minVramGb) &&
        (c.maxPricePerHour === undefined || o.pricePerHour <= c.maxPricePerHour) &&
        (name === undefined || o.gpuName.toLowerCase().includes(name) || o.gpuTypeId.toLowerCase().includes(name)) &&
        (c.cloud === undefined || o.cloud === c.cloud) &&
        (c.spot === undefined || o.spot === c.spot) &&
        (!c.clauses || matchesOfferFilter(o, c.clauses)),
    )
    .sort((a, b) => a.pricePerHour - b.pricePerHour || b.vramGb - a.vramGb || a.gpuName.localeCompare(b.gpuName) || a.cloud.localeCompare(b.cloud));
}

export function describeOffer(o: PodOffer): string {
  const count = o.gpuCount > 1 ? `${o.gpuCount}× ` : '';
  return `${count}${o.gpuName} (${o.vramGb} GB) · ${o.cloud}${o.spot ? ' spot' : ''} · $${o.pricePerHour.toFixed(3)}/hr`;
}
