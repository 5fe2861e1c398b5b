// Worker thread of analyzeCollected: analyses the cases it is sent, one at a time.
import { parentPort } from 'node:worker_threads';
import { analyzeCollectedCase, type CollectCase } from './collectAnalysis';

parentPort?.on('message', (c: CollectCase) => {
  void analyzeCollectedCase(c).then((r) => parentPort!.postMessage(r));
});
