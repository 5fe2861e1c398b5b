// Show Pod Logs: a pod's container and system logs (REST v2's SSE stream) into Live Logs, following
// until the stream's Stop (a job, so Live Logs' stop button and "Cancel Job" end it). Reconnects
// after drops are logged in the stream, without repeated or lost lines (core/pods/runpodRest/logs.ts).
import * as vscode from 'vscode';
import type { PodInfo } from '../../core/pods/types';
import { guarded } from '../commandBoundary';
import type { LogsFeature } from '../logs/logsFeature';
import { PodNode } from './podNodes';
import type { PodsModel } from './podsModel';

export function showPodLogs(model: PodsModel, logs: LogsFeature, log: vscode.LogOutputChannel, arg?: unknown): Promise<void> {
  return guarded('Show Pod Logs', log, async () => {
    let pod: PodInfo | undefined = arg instanceof PodNode ? arg.pod : typeof arg === 'string' ? model.pods.find((p) => p.id === arg) : undefined;
    if (!pod) {
      const picked = await vscode.window.showQuickPick(model.pods.map((p) => ({ label: p.name, description: `${p.state} · ${p.gpuName ?? '?'}`, p })), { placeHolder: 'Show the logs of…' });
      pod = picked?.p;
    }
    if (!pod) return;
    const provider = await model.getProvider();
    if (!provider) throw new Error('no RunPod API key — run "Airlock: Set RunPod API Key" first.');
    if (!provider.streamLogs) throw new Error('pod logs come from RunPod REST API v2; set airlock.pods.api to "rest" (GraphQL has no logs).');
    const streamId = logs.store.create({ title: `pod ${pod.name}`, source: pod.id, kind: 'tail' });
    const { job, signal } = logs.jobs.start({ title: `logs of ${pod.name}`, host: pod.id, logStreamId: streamId });
    logs.showLogs(streamId);
    const name = pod.name;
    void provider.streamLogs(pod.id, {
      follow: true,
      signal,
      onLine: (l) => logs.store.append(streamId, [`${l.ts} [${l.source}] ${l.line}`], l.source === 'system'),
      onReconnect: (r) => logs.store.append(streamId, [`[airlock] log stream dropped (${r.reason}); resumed${r.lastEventId ? ` after ${r.lastEventId}` : ''}`], true),
    }).then(
      () => {
        logs.store.close(streamId, signal.aborted ? 'cancelled' : 'done');
        logs.jobs.finish(job.id, signal.aborted ? 'cancelled' : 'done');
      },
      (err: Error) => {
        logs.store.append(streamId, [`[airlock] ${err.message}`], true);
        logs.store.close(streamId, 'failed');
        logs.jobs.finish(job.id, 'failed');
        log.warn(`logs of ${name}: ${err.message}`);
      },
    );
  });
}
