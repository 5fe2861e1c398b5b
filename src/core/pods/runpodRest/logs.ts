// `GET /v2/pods/{id}/logs`: server-sent events `{ts, source, line}` with an `id:` per event, resumable
// with `Last-Event-ID`. A dropped stream is reopened from the last id seen; ids already delivered are
// skipped, so a reconnect neither repeats nor loses lines. eventsource-parser does the SSE framing.
import { createParser } from 'eventsource-parser';
import { sleep } from '../../process/errors';
import { PodError, isPodError } from '../errors';
import type { RunpodRestClient } from './client';
import { restStatusError, restTransportError } from './errors';
import type { RestLogSource } from './types';

export interface PodLogLine {
  id: string;
  ts: string;
  source: RestLogSource;
  line: string;
}

export interface StreamPodLogsOptions {
  /** Keep the stream open and reconnect after drops until `signal` aborts (else stop after the backfill). */
  follow?: boolean;
  /** Historical lines first (RunPod's default 100, max 5000). */
  tail?: number;
  source?: RestLogSource;
  signal?: AbortSignal;
  onLine: (line: PodLogLine) => void;
  /** Told about each reconnect, so the UI can say the stream dropped and resumed. */
  onReconnect?: (info: { attempt: number; lastEventId?: string; reason: string }) => void;
  /** Without `follow`: stop after this long without an event (the backfill is over). Default 1500 ms. */
  idleMs?: number;
  /** First reconnect delay, doubling up to 30 s (default 500 ms). */
  reconnectDelayMs?: number;
  /** Give up after this many reconnects in a row without a new line (default 10). */
  maxReconnects?: number;
}

const seenCap = 10_000;

export async function streamPodLogs(client: RunpodRestClient, podId: string, o: StreamPodLogsOptions): Promise<void> {
  const ctx = { baseUrl: client.baseUrl, apiKey: '', doing: `stream the logs of pod ${podId}` };
  const seen = new Set<string>();
  let lastEventId: string | undefined;
  let failures = 0;
  for (let attempt = 0; ; attempt++) {
    if (o.signal?.aborted) return;
    const url = new URL(`${client.baseUrl}/v2/pods/${encodeURIComponent(podId)}/logs`);
    if (o.tail !== undefined) url.searchParams.set('tail', String(o.tail));
    if (o.source) url.searchParams.set('source', o.source);
    const headers: Record<string, string> = { ...client.authHeaders(), Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const idle = new AbortController();
    const signal = o.signal ? AbortSignal.any([o.signal, idle.signal]) : idle.signal;
    let delivered = 0;
    let reason = 'the stream ended';
    let opened = false;
    try {
      const res = await fetch(url, { headers, signal });
      opened = res.ok;
      if (!res.ok) {
        let problem: unknown;
        try {
          problem = await res.json();
        } catch {
          problem = undefined;
        }
        const err = restStatusError(res.status, problem as never, res.headers, ctx);
        if (isPodError(err, 'rate-limited')) {
          reason = 'rate limited';
          await sleep((err.details.retryAfterSec ?? 1) * 1000, o.signal);
          continue;
        }
        if (res.status < 500) throw err;
        reason = `HTTP ${res.status}`;
      } else if (res.body) {
        let timer: NodeJS.Timeout | undefined;
        const arm = () => {
          if (o.follow) return;
          clearTimeout(timer);
          timer = setTimeout(() => idle.abort(), o.idleMs ?? 1500);
        };
        const parser = createParser({
          onEvent(ev) {
            arm();
            let data: { ts?: string; source?: RestLogSource; line?: string };
            try {
              data = JSON.parse(ev.data);
            } catch {
              return; // a keep-alive or a malformed event carries no line
            }
            const id = ev.id ?? data.ts ?? '';
            if (id && seen.has(id)) return;
            if (id) {
              seen.add(id);
              if (seen.size > seenCap) seen.delete(seen.values().next().value!);
              lastEventId = id;
            }
            delivered++;
            o.onLine({ id, ts: data.ts ?? '', source: data.source ?? 'container', line: data.line ?? '' });
          },
        });
        arm();
        const decoder = new TextDecoder();
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
        } finally {
          clearTimeout(timer);
        }
      }
    } catch (err) {
      if (o.signal?.aborted) return;
      if (idle.signal.aborted) return; // backfill over (no follow)
      if (err instanceof PodError) throw err;
      const mapped = restTransportError(err, ctx);
      if (!isPodError(mapped, 'network')) throw mapped;
      reason = opened ? 'the connection dropped' : mapped.message;
    }
    if (!o.follow) return;
    failures = delivered ? 0 : failures + 1;
    if (failures > (o.maxReconnects ?? 10))
      throw new PodError('network', `The log stream of pod ${podId} kept dropping (${reason}); run the command again to resume`);
    o.onReconnect?.({ attempt: attempt + 1, lastEventId, reason });
    await sleep(Math.min(30_000, (o.reconnectDelayMs ?? 500) * 2 ** Math.max(0, failures - 1)), o.signal).catch(() => undefined);
  }
}
