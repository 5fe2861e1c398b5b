import { defaultRunpodEndpoint } from './client';

/**
 * Where to send RunPod requests: an explicit override (CLI `--endpoint`, the editor's setting),
 * else AIRLOCK_RUNPOD_ENDPOINT, else RUNPOD_ENDPOINT, else RunPod itself. Tests and the demo point
 * this at the fake.
 */
export function resolveRunpodEndpoint(override?: string, env: NodeJS.ProcessEnv = process.env): string {
  return override || env.AIRLOCK_RUNPOD_ENDPOINT || env.RUNPOD_ENDPOINT || defaultRunpodEndpoint;
}
