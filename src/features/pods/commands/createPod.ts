import * as vscode from 'vscode';
import { createPod as provisionPod } from '../../../core/pods/provision';
import { formatDollars } from '../../../core/pods/cost';
import { parseMetadataPairs } from '../../../core/pods/metadata';
import { selectOffers } from '../../../core/pods/offers';
import type { PodOffer } from '../../../core/pods/types';
import { withCancellableProgress } from '../../progress';
import { readSettings } from '../../settings';
import { confirmBudget, offerGraphqlForSpot, spotHintItem, sshAccessEnv, watchdogFromSettings } from '../createGuards';
import { type PodCommandDeps, describeProgress, jupyterSecret, provider } from './podCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Pods: Create Pod — pick an offer, name and metadata; falls back to the next offer on no capacity. */
export async function createPod(deps: PodCommandDeps): Promise<void> {
  const { model } = deps;
  const pr = await provider(deps);
  const offers = await withCancellableProgress('Airlock: reading RunPod GPU offers…', (signal) => pr.offers({ gpuCount: 1 }, signal));
  const sorted = selectOffers(offers, {});
  if (!sorted.length) throw new UserError('RunPod lists no GPU offers right now.');
  const hint = spotHintItem(readSettings());
  const picked = await vscode.window.showQuickPick<{ label: string; description?: string; detail?: string; o?: PodOffer; spotHint?: true }>(
    [
      ...sorted.map((o) => ({
        label: `${o.gpuName} · ${o.vramGb} GB`,
        description: `${formatDollars(o.pricePerHour)}/hr · ${o.cloud}${o.spot ? ' · spot' : ''}`,
        detail: `stock ${o.stock}`,
        o,
      })),
      ...(hint ? [hint] : []),
    ],
    {
      title: 'Create Pod (1/3): GPU offer — cheapest first',
      placeHolder: 'Type to filter: 4090, A100, 80 GB, SECURE, spot…',
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    },
  );
  if (!picked) return;
  if (picked.spotHint || !picked.o) return offerGraphqlForSpot();
  const name = await vscode.window.showInputBox({
    title: 'Create Pod (2/3): name',
    value: `exp-${new Date().toISOString().slice(5, 16).replace(/[-:T]/g, '')}`,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A pod needs a name'),
  });
  if (!name) return;
  const metaText = await vscode.window.showInputBox({
    title: 'Create Pod (3/3): metadata (optional)',
    prompt: 'key=value pairs separated by spaces, e.g. project=llm run=ablation-3 — filter and clean up by them later',
    ignoreFocusOut: true,
  });
  if (metaText === undefined) return;
  const metadata = Object.fromEntries(Object.entries(parseMetadataPairs(metaText.split(/\s+/).filter(Boolean))).map(([k, v]) => [k, v ?? '']));
  const o = picked.o;
  if (!(await confirmBudget(pr, o, readSettings(), metadata.project || undefined))) return;
  // After the chosen offer, the next cheapest with the same GPU memory and pricing kind (SUPPLY_CONSTRAINT fallback).
  const fallbacks = sorted.filter((x) => x !== o && x.spot === o.spot && x.vramGb >= o.vramGb);
  const s = readSettings();
  const env = await sshAccessEnv(pr, s, deps.log);
  const created = await withCancellableProgress(`Airlock: creating pod "${name}"`, (signal, report) =>
    provisionPod(pr, {
      offers: [o, ...fallbacks] as PodOffer[],
      spec: { name, image: s.podsDefaultImage, metadata, env, jupyter: true, watchdog: watchdogFromSettings(s) },
      readyTimeoutMs: s.podsReadyTimeoutSec * 1000,
      signal,
      onProgress: (p) => {
        report(describeProgress(p));
        deps.log.info(`create ${name}: ${describeProgress(p)}`);
      },
    }),
  );
  if (created.jupyterPassword) await deps.secrets.store(jupyterSecret(created.pod.id), created.jupyterPassword);
  model.update(created.pod, created.pod.id);
  void vscode.window
    .showInformationMessage(`Airlock: pod "${created.pod.name}" is running (${formatDollars(created.pod.costPerHour)}/hr).`, 'Open Jupyter')
    .then((a) => a && vscode.commands.executeCommand('airlock.pods.openJupyter', created.pod.id));
}
