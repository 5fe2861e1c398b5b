// A run that lives in a directory on a host (any Hosts entry, `local` too): its result files, what
// the directory says about its code (`.airlock-bundle.json` / `airlock-provenance.json`), the GPU,
// `pip freeze` taken on that machine, and the checkpoint sync's state when there is one.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { HostRunner } from '../hosts/types';
import { remotePathExpr } from '../shell/quote';
import { receivedName, type ReceivedRecord } from '../bundle/manifest';
import { parseJsonOrUndefined, parseProvenance, provenanceFormat, type Provenance } from '../provenance/provenance';
import { provenanceFileName } from '../provenance/sweepProvenance';
import { globMatcher, type RunSource } from './importRun';
import { checkpointsFromSyncState, syncStateFile } from './syncState';

export interface HostRunOptions {
  include: string[];
  /** Files larger than this are left on the machine (checkpoints belong to the sync, not the workspace). */
  maxFileBytes?: number;
  tier?: string;
  costUsd?: number;
  signal?: AbortSignal;
}

const maxListed = 5000;

export async function hostRunSource(runner: HostRunner, dir: string, o: HostRunOptions): Promise<RunSource> {
  const at = remotePathExpr(dir);
  const sh = async (cmd: string) => runner.exec(cmd, { signal: o.signal });
  const listing = await sh(
    `cd ${at} 2>/dev/null || { echo "no such directory" >&2; exit 3; }; find . -name .git -prune -o -name __pycache__ -prune -o -type f -printf '%s %T@ %P\\n' | head -n ${maxListed}`,
  );
  if (listing.code === 3) throw new Error(`${runner.host.name}:${dir} does not exist`);
  if (listing.code !== 0) throw new Error(`could not list ${runner.host.name}:${dir}: ${listing.stderr.trim()}`);
  const entries = listing.stdout
    .split('\n')
    .map((l) => /^(\d+) ([\d.]+) (.+)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ size: Number(m[1]), mtime: Number(m[2]), path: m[3]! }));

  const cat = async (rel: string) => {
    const r = await sh(`cat ${remotePathExpr(posix.join(dir, rel))} 2>/dev/null`);
    return r.code === 0 ? r.stdout : undefined;
  };
  const received = parseJsonOrUndefined<ReceivedRecord>(await cat(receivedName));
  const recorded = parseProvenance(await cat(provenanceFileName));
  const code = new Set(received?.manifest.files.map((f) => f.path) ?? []);
  const provenance: Provenance | undefined = recorded
    ? recorded
    : received
      ? {
          format: provenanceFormat,
          commit: received.manifest.commit,
          dirty: received.manifest.dirty !== null,
          dirtyFiles: received.manifest.dirty?.files ?? [],
          bundleSha256: received.bundleSha256,
          recordedAt: received.unpackedAt,
        }
      : undefined;

  const wanted = globMatcher(o.include);
  const max = o.maxFileBytes ?? 50 * 1024 * 1024;
  const picked = entries.filter((e) => !code.has(e.path) && e.path !== receivedName && !e.path.startsWith('.airlock/') && e.size <= max && wanted(e.path));
  const times = picked.map((e) => e.mtime).sort((a, b) => a - b);

  // The packages the run used: its own frozen_requirements.txt if it wrote one (the protocol's step), else pip freeze now.
  const frozenFile = await cat('frozen_requirements.txt');
  let pipFreeze: RunSource['pipFreeze'];
  if (frozenFile?.trim()) pipFreeze = { text: frozenFile, source: `frozen_requirements.txt written on ${runner.host.name}` };
  else {
    // The run's own virtualenv first (beside its code), then whatever pip the login shell finds.
    const r = await sh(
      `cd ${at} && for p in .venv/bin/pip venv/bin/pip; do if [ -x "$p" ]; then exec "$p" freeze; fi; done; pip freeze 2>/dev/null || python3 -m pip freeze`,
    );
    if (r.code === 0 && r.stdout.trim()) pipFreeze = { text: r.stdout, source: `pip freeze on ${runner.host.name} at import` };
  }
  const gpuR = await sh(`nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1`);
  const gpu = gpuR.code === 0 ? gpuR.stdout.trim() : '';
  const syncState = await cat(syncStateFile);

  return {
    what: `host directory ${runner.host.name}:${dir}`,
    host: runner.host.name,
    ...(gpu ? { gpu } : {}),
    ...((o.tier ?? runner.host.tier) ? { tier: o.tier ?? runner.host.tier } : {}),
    ...(times.length ? { startedAt: new Date(times[0]! * 1000).toISOString(), endedAt: new Date(times.at(-1)! * 1000).toISOString() } : {}),
    ...(o.costUsd !== undefined ? { costUsd: o.costUsd } : {}),
    ...(provenance ? { provenance } : {}),
    ...(pipFreeze ? { pipFreeze } : {}),
    checkpoints: syncState ? checkpointsFromSyncState(syncState) : [],
    files: picked.map((e) => ({
      path: e.path,
      read: async (signal?: AbortSignal) => {
        const tmp = await mkdtemp(join(tmpdir(), 'airlock-import-'));
        try {
          await runner.download(posix.join(dir, e.path), join(tmp, 'f'), signal);
          return await readFile(join(tmp, 'f'));
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
      },
    })),
  };
}
