// Drive's resumable upload protocol (the Node client only does multipart): open a session, send
// the body in 256 KiB-multiple chunks, and after a dropped connection or a 5xx ask the session how
// much it kept (`Content-Range: bytes */N` → 308 + Range) and continue from there — a large
// notebook or result file survives a flaky network without starting over.
import type { OAuth2Client } from 'google-auth-library';
import { sleep, throwIfAborted } from '../process/errors';
import { driveError, isRetryable, statusOf } from './driveErrors';

export interface ResumableUploadOptions {
  auth: OAuth2Client;
  /** Drive's API root, e.g. https://www.googleapis.com/ */
  rootUrl: string;
  metadata: Record<string, unknown>;
  body: Buffer;
  mimeType: string;
  fields: string;
  /** Bytes per request; a multiple of 256 KiB (default 8 MiB). */
  chunkSize?: number;
  retries?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: (sent: number, total: number) => void;
}

const quantum = 256 * 1024;

export async function resumableUpload<T>(o: ResumableUploadOptions): Promise<T> {
  const what = `uploading ${String(o.metadata.name)}`;
  const chunk = Math.max(quantum, Math.floor((o.chunkSize ?? 8 * 1024 * 1024) / quantum) * quantum);
  const total = o.body.length;
  const retries = o.retries ?? 4;
  const started = await o.auth
    .request({
      url: `${o.rootUrl}upload/drive/v3/files?uploadType=resumable&fields=${encodeURIComponent(o.fields)}&supportsAllDrives=true`,
      method: 'POST',
      data: o.metadata,
      signal: o.signal,
      retry: false,
      headers: { 'X-Upload-Content-Type': o.mimeType, 'X-Upload-Content-Length': String(total), 'Content-Type': 'application/json; charset=UTF-8' },
    })
    .catch((err: unknown) => {
      throw driveError(err, what);
    });
  const session = started.headers.get('location');
  if (!session) throw driveError({ response: { status: started.status } }, `${what} (no upload session)`);

  // 308 "Resume Incomplete" is progress, not an error; a missing Range header means nothing kept.
  const kept = (res: { headers: Headers }) => {
    const r = /bytes=0-(\d+)/.exec(res.headers.get('range') ?? '');
    return r ? Number(r[1]) + 1 : 0;
  };
  const validateStatus = (s: number) => (s >= 200 && s < 300) || s === 308;
  let offset = 0;
  let failures = 0;
  let lost = false; // after a failure the session, not our counter, knows how much arrived
  for (;;) {
    throwIfAborted(o.signal);
    const end = Math.min(offset + chunk, total);
    try {
      const res = lost
        ? await o.auth.request<T>({
            url: session,
            method: 'PUT',
            data: Buffer.alloc(0),
            signal: o.signal,
            retry: false,
            validateStatus,
            responseType: 'json',
            headers: { 'Content-Range': `bytes */${total}` },
          })
        : await o.auth.request<T>({
            url: session,
            method: 'PUT',
            data: o.body.subarray(offset, end),
            signal: o.signal,
            retry: false,
            validateStatus,
            responseType: 'json',
            headers: { 'Content-Type': o.mimeType, 'Content-Range': total === 0 ? 'bytes */0' : `bytes ${offset}-${end - 1}/${total}` },
          });
      lost = false;
      if (res.status !== 308) {
        o.onProgress?.(total, total);
        return res.data;
      }
      offset = kept(res);
      o.onProgress?.(offset, total);
    } catch (err) {
      if (o.signal?.aborted) throw err;
      // 404/410 on the session: it expired; the caller may start a new upload.
      if (statusOf(err) === 404 || statusOf(err) === 410) throw driveError(err, `${what} (the upload session expired)`);
      if (!isRetryable(err) || ++failures > retries) throw driveError(err, what, failures);
      lost = true;
      await sleep((o.retryDelayMs ?? 1000) * 2 ** (failures - 1), o.signal);
    }
  }
}
