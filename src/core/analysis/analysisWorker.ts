// Worker thread of the analysis: analyses the cases of `sweep collect` it is sent, one at a time
// (analyzeCollected), or scans one client log (readCaseLogs reads the client log here while it
// reads the server logs).
import { parentPort } from 'node:worker_threads';
import { scanClientLog, type ClientScanRequest } from './caseLogs';
import { analyzeCollectedCase, type CollectCase } from './collectAnalysis';

parentPort?.on('message', (m: CollectCase | ClientScanRequest) => {
  if ('scanClient' in m) {
    void scanClientLog(m.scanClient, m.keep).then(
      (r) => parentPort!.postMessage({ ok: r }),
      (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? { ...err, name: err.name, message: err.message } : { message: String(err) } }),
    );
  } else void analyzeCollectedCase(m).then((r) => parentPort!.postMessage(r));
});
