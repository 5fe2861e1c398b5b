// Show Pod Logs: a pod's container and system logs (REST v2's SSE stream) into Live Logs, following
// until the stream's Stop (a job, so Live Logs' stop button and "Cancel Job" end it). Reconnects
// after drops are logged in the stream, without repeated or lost lines (core/pods/runpodRest/logs.ts).
import * as vscode from 'vscode';
import type { PodInfo } from '../../../core/pods/types';
import { UserError } from '../../../core/errors/userError';
import { errorMessage } from '../../../core/text/errorMessage';
import { PodNode } from '../podNodes';
import { provider as requireProvider, type PodCommandDeps } from './podCommandDeps';

/** Pods: Show Pod Logs — the tree row's pod, an id, or a pick. */
export async function showPodLogs(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const { model, logs, log } = deps;
  // Before asking which pod: on GraphQL there are no logs to show.
  const provider = await requireProvider(deps);
  if (!provider.streamLogs) throw new UserError('pod logs come from RunPod REST API v2; set airlock.pods.api to "rest" (GraphQL has no logs).');
  let pod: PodInfo | undefined = arg instanceof PodNode ? arg.pod : typeof arg === 'string' ? model.pods.find((p) => p.id === arg) : undefined;
  if (!pod) {
    const picked = await vscode.window.showQuickPick(
      model.pods.map((p) => ({ label: p.name, description: `${p.state} · ${p.gpuName ?? '?'}`, p })),
      { placeHolder: 'Show the logs of…' },
    );
    pod = picked?.p;
  }
  if (!pod) return;
  const streamId = logs.store.create({ title: `pod ${pod.name}`, source: pod.id, kind: 'tail' });
  const { job, signal } = logs.jobs.start({ title: `logs of ${pod.name}`, host: pod.id, logStreamId: streamId });
  logs.showLogs(streamId);
  const name = pod.name;
  void provider
    .streamLogs(pod.id, {
      follow: true,
      signal,
      onLine: (l) => logs.store.append(streamId, [`${l.ts} [${l.source}] ${l.line}`], l.source === 'system'),
      onReconnect: (r) =>
        logs.store.append(streamId, [`[airlock] log stream dropped (${r.reason}); resumed${r.lastEventId ? ` after ${r.lastEventId}` : ''}`], true),
    })
    .then(
      () => {
        logs.store.close(streamId, signal.aborted ? 'cancelled' : 'done');
        logs.jobs.finish(job.id, signal.aborted ? 'cancelled' : 'done');
      },
      (err: unknown) => {
        logs.store.append(streamId, [`[airlock] ${errorMessage(err)}`], true);
        logs.store.close(streamId, 'failed');
        logs.jobs.finish(job.id, 'failed');
        log.warn(`logs of ${name}: ${errorMessage(err)}`);
      },
    );
}
