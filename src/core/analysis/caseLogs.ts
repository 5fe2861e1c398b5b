// The three logs of a case read once each, streaming, for both the latency breakdown and the
// trade-off row (the sweep's collect needs both from the same logs). Errors come out as the
// original's would: a missing log before any parse error, then parse errors in the order its
// parse_* calls ran (client, server1 summary, server2 summary, detailed server1, detailed server2).
//
// The client log is scanned on a worker thread while this thread scans the two server logs (the
// passes are independent; the server logs share one ServerDetail, server1's rows first, so they stay
// in this thread, in order). Small logs, and a run without a worker script, scan all three here.
import type { FileHandle } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import { ask, startWorker, workerSource } from './analysisThreads';
import { ClientPass, Columns, DetailPass, newServerDetail, reviveClientPass, Server1Pass, Server2Pass, type ServerDetail } from './logParse';
import { firstFailure, LogReadError, openLog, scanLog, type PassFailure } from './logStream';
import { pyPathStr } from './pyPath';

/** Below this client log size a worker thread costs more than it saves; `clientScansOnWorker` counts the scans done there. */
export const threadTuning = { minClientBytes: 16 << 20, clientScansOnWorker: 0 };

export interface ClientScanRequest {
  scanClient: string;
  keep: boolean;
}
type ClientScan = { client: ClientPass; failure: PassFailure | undefined };

/** The client log's pass (what a worker thread runs for readCaseLogs). */
export async function scanClientLog(path: string, keep: boolean): Promise<ClientScan> {
  const client = new ClientPass(keep);
  const [failure] = await scanLog(await openLog(path), [client]);
  return { client, failure };
}

/** An error a worker posted, as the class the CLI maps to its exit code where it is one of ours. */
function reviveError(e: { name: string; message: string }, path: string): Error {
  const prefix = `cannot read log ${path}: `;
  if (e.name === 'LogReadError' && e.message.startsWith(prefix)) return new LogReadError(path, e.message.slice(prefix.length));
  return Object.assign(new Error(e.message), e);
}

type ClientReply = { ok: ClientScan } | { error: Error };

/**
 * The client scan started on a worker thread; undefined when there is none to start. The reply is
 * wrapped: an async function returning a bare promise would resolve only once the worker is done,
 * and the server logs would wait for the client's instead of being read meanwhile.
 */
async function clientOnWorker(fh: FileHandle, path: string, keep: boolean): Promise<{ reply: Promise<ClientReply> } | undefined> {
  if (!isMainThread) return undefined; // a collect lane: the lanes already use the cores
  const script = (await fh.stat()).size >= threadTuning.minClientBytes ? workerSource() : undefined;
  if (!script) return undefined;
  await fh.close();
  threadTuning.clientScansOnWorker++;
  const worker = startWorker(script);
  const request: ClientScanRequest = { scanClient: path, keep };
  const reply = ask<{ ok: ClientScan } | { error: { name: string; message: string } }>(worker, request)
    .then(
      (r): ClientReply => ('ok' in r ? { ok: { client: reviveClientPass(r.ok.client), failure: r.ok.failure } } : { error: reviveError(r.error, path) }),
      (error: Error) => ({ error }),
    )
    .finally(() => void worker.terminate());
  return { reply };
}

export interface CasePaths {
  clientLog: string;
  server1Log: string;
  server2Log: string;
}

export interface CaseLogs {
  /** The paths as Python prints a Path (what the reports and CSVs show). */
  shown: CasePaths;
  client: ClientPass;
  s1: Columns;
  s2: Columns;
  detail: ServerDetail;
}

async function openAll(paths: string[]): Promise<FileHandle[]> {
  const out: FileHandle[] = [];
  try {
    for (const p of paths) out.push(await openLog(p));
    return out;
  } catch (err) {
    await Promise.all(out.map((fh) => fh.close()));
    throw err;
  }
}

/** `keep` false: only what the trade-off row needs (running sums), for a tradeoff-only run. */
export async function readCaseLogs(clientLog: string, server1Log: string, server2Log: string, keep = true): Promise<CaseLogs> {
  const shown = { clientLog: pyPathStr(clientLog), server1Log: pyPathStr(server1Log), server2Log: pyPathStr(server2Log) };
  const [c, s1, s2] = await openAll([clientLog, server1Log, server2Log]);
  const p1 = new Server1Pass(new Columns(keep));
  const p2 = new Server2Pass(new Columns(keep));
  const detail = newServerDetail(keep);
  const d1 = new DetailPass('server1', detail);
  const d2 = new DetailPass('server2', detail);
  const fail = async (order: Parameters<typeof firstFailure>[0]) => {
    const err = await firstFailure(order);
    if (err) {
      await Promise.all([s1!, s2!].map((fh) => fh.close().catch(() => undefined)));
      throw err;
    }
  };
  const elsewhere = await clientOnWorker(c!, clientLog, keep);
  let client: ClientPass;
  if (elsewhere) {
    // Both server logs are read here meanwhile (a client error still comes first: its scan is awaited first).
    const servers = (async () => [await scanLog(s1!, [p1, d1]), await scanLog(s2!, [p2, d2])] as const)();
    servers.catch(() => undefined); // awaited below, after the client's outcome
    const r = await elsewhere.reply;
    if ('error' in r) {
      await servers.catch(() => undefined);
      throw r.error;
    }
    client = r.ok.client;
    await fail([{ path: clientLog, shown: shown.clientLog, failure: r.ok.failure }]);
    const [[f1, fd1], [f2, fd2]] = await servers;
    await fail([{ path: server1Log, shown: shown.server1Log, failure: f1 }]);
    await fail([
      { path: server2Log, shown: shown.server2Log, failure: f2 },
      { path: server1Log, shown: shown.server1Log, failure: fd1 },
      { path: server2Log, shown: shown.server2Log, failure: fd2 },
    ]);
    return { shown, client, s1: p1.rows, s2: p2.rows, detail };
  }
  client = new ClientPass(keep);
  const [fc] = await scanLog(c!, [client]);
  await fail([{ path: clientLog, shown: shown.clientLog, failure: fc }]);
  const [f1, fd1] = await scanLog(s1!, [p1, d1]);
  await fail([{ path: server1Log, shown: shown.server1Log, failure: f1 }]);
  const [f2, fd2] = await scanLog(s2!, [p2, d2]);
  await fail([
    { path: server2Log, shown: shown.server2Log, failure: f2 },
    { path: server1Log, shown: shown.server1Log, failure: fd1 },
    { path: server2Log, shown: shown.server2Log, failure: fd2 },
  ]);
  return { shown, client, s1: p1.rows, s2: p2.rows, detail };
}
