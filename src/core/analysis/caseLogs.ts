// The three logs of a case read once each, streaming, for both the latency breakdown and the
// trade-off row (the sweep's collect needs both from the same logs). Errors come out as the
// original's would: a missing log before any parse error, then parse errors in the order its
// parse_* calls ran (client, server1 summary, server2 summary, detailed server1, detailed server2).
import type { FileHandle } from 'node:fs/promises';
import { ClientPass, Columns, DetailPass, newServerDetail, Server1Pass, Server2Pass, type ServerDetail } from './logParse';
import { firstFailure, openLog, scanLog } from './logStream';
import { pyPathStr } from './pyPath';

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
  const client = new ClientPass(keep);
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
