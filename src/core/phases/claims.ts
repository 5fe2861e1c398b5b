// A claim file says who runs an entry until when. Its content is unique per claim (a random
// token), so two hosts claiming the same entry always conflict in git — the original wrote empty
// files, which two hosts could both "add" without a conflict and then both run the entry.
import { randomBytes } from 'node:crypto';

export interface Claim {
  host: string;
  pid: number;
  token: string;
  claimedAt: string;
  leaseUntil: string;
  /** Set by the first lease refresh: the command is running. */
  heartbeatAt?: string;
  /** The host whose expired claim this one took over. */
  takeoverFrom?: string;
  /** A claim written by the original tool (its content was just a host name, with no lease). */
  legacy?: boolean;
}

export function newClaim(host: string, leaseSec: number, now = Date.now(), takeoverFrom?: string): Claim {
  return {
    host,
    pid: process.pid,
    token: randomBytes(8).toString('hex'),
    claimedAt: new Date(now).toISOString(),
    leaseUntil: new Date(now + leaseSec * 1000).toISOString(),
    ...(takeoverFrom ? { takeoverFrom } : {}),
  };
}

export function renewClaim(c: Claim, leaseSec: number, now = Date.now()): Claim {
  return { ...c, heartbeatAt: new Date(now).toISOString(), leaseUntil: new Date(now + leaseSec * 1000).toISOString() };
}

export function serializeClaim(c: Claim): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

export function parseClaim(text: string): Claim {
  try {
    const v = JSON.parse(text) as Partial<Claim>;
    if (v && typeof v.host === 'string' && typeof v.leaseUntil === 'string') return v as Claim;
  } catch {
    /* the original tool's format: the host name, or nothing */
  }
  return { host: text.trim() || 'unknown', pid: 0, token: '', claimedAt: new Date(0).toISOString(), leaseUntil: new Date(0).toISOString(), legacy: true };
}

/** An expired lease (or a legacy claim, which has none) may be taken over. */
export function isStale(c: Claim, now = Date.now()): boolean {
  return Date.parse(c.leaseUntil) <= now;
}
