// RunPod has no tags, so Airlock stores key/value metadata in the pod's environment:
//   AIRLOCK_MANAGED=1            marks a pod Airlock created (start-up listing, cleanup)
//   AIRLOCK_CREATE_ID=<random>   finds a pod whose create response was lost (cancel, network)
//   AIRLOCK_META_<key>=<value>   one per metadata entry
// and prefixes the name with `airlock-` so the pod is recognisable in RunPod's console.
// The environment survives stop/resume, is returned by the API with the pod, and the code inside
// the pod can read its own metadata. It is not secret: anyone with the API key can read it.
import { PodError } from './errors';

const podNamePrefix = 'airlock-';
const managedEnvKey = 'AIRLOCK_MANAGED';
const createIdEnvKey = 'AIRLOCK_CREATE_ID';
const metadataEnvPrefix = 'AIRLOCK_META_';
export const jupyterPasswordEnvKey = 'JUPYTER_PASSWORD';

// Keys become part of an environment variable name, so they must be valid shell identifiers.
const keyPattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const maxValueLength = 256;

function validateMetadata(metadata: Record<string, string>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (!keyPattern.test(key)) {
      throw new PodError('bad-input', `metadata key "${key}" must start with a letter and contain only letters, digits and _ (at most 64)`);
    }
    if (value.length > maxValueLength || /[\r\n\0]/.test(value)) {
      throw new PodError('bad-input', `metadata value of "${key}" must be one line of at most ${maxValueLength} characters`);
    }
  }
}

/** The env entries that carry Airlock's marker, create id and metadata. */
export function encodeAirlockEnv(metadata: Record<string, string>, createId: string): Record<string, string> {
  validateMetadata(metadata);
  const env: Record<string, string> = { [managedEnvKey]: '1', [createIdEnvKey]: createId };
  for (const [key, value] of Object.entries(metadata)) env[metadataEnvPrefix + key] = value;
  return env;
}

export interface DecodedAirlockEnv {
  managed: boolean;
  createId?: string;
  metadata: Record<string, string>;
  /** The on-pod watchdog's rules when one was installed (watchdog/install.ts), in seconds; 0 = off. */
  watchdog?: { idleStopSec: number; maxSec: number };
}

/** Reads Airlock's entries back from `KEY=value` strings; every other variable is ignored (it may be secret). */
export function decodeAirlockEnv(envLines: readonly string[]): DecodedAirlockEnv {
  const out: DecodedAirlockEnv = { managed: false, metadata: {} };
  for (const line of envLines) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === managedEnvKey) out.managed = value === '1';
    else if (key === createIdEnvKey) out.createId = value;
    else if (key.startsWith(metadataEnvPrefix) && key.length > metadataEnvPrefix.length) out.metadata[key.slice(metadataEnvPrefix.length)] = value;
    else if (key === 'AIRLOCK_WATCHDOG_IDLE_SEC') out.watchdog = { maxSec: 0, ...out.watchdog, idleStopSec: Number(value) || 0 };
    else if (key === 'AIRLOCK_WATCHDOG_MAX_SEC') out.watchdog = { idleStopSec: 0, ...out.watchdog, maxSec: Number(value) || 0 };
  }
  return out;
}

export function podNameWithPrefix(name: string): string {
  return name.startsWith(podNamePrefix) ? name : podNamePrefix + name;
}

/** `k=v` pairs (CLI `--meta`, the view's filter box) into a record; `k` alone matches any value. */
export function parseMetadataPairs(pairs: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (!keyPattern.test(key)) throw new PodError('bad-input', `"${pair}" is not key=value with a key of letters, digits and _`);
    out[key] = eq < 0 ? undefined : pair.slice(eq + 1);
  }
  return out;
}

/** True when the pod has every key of `filter` (with the given value, or any value when undefined). */
export function matchesMetadata(metadata: Record<string, string>, filter: Record<string, string | undefined>): boolean {
  return Object.entries(filter).every(([k, v]) => k in metadata && (v === undefined || metadata[k] === v));
}
