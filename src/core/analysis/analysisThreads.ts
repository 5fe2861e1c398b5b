// The worker threads the analysis runs on: the bundled worker script beside the release build
// (dist/node_modules/airlock-analysis-worker) or the source through tsx (tests). Without either
// (the CLI copied alone to a GPU worker) everything runs in the calling thread.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** How to start a worker, or undefined when there is no worker script. */
export function workerSource(): { code: string; eval: boolean } | undefined {
  try {
    return { code: require.resolve('airlock-analysis-worker'), eval: false };
  } catch {
    const src = join(__dirname, 'analysisWorker.ts');
    if (!existsSync(src) || !process.execArgv.some((a) => a.includes('tsx'))) return undefined;
    // tsx's --import hook does not reach worker threads; its CommonJS register does.
    return { code: `require('tsx/cjs'); require(${JSON.stringify(src)});`, eval: true };
  }
}

export function startWorker(script: { code: string; eval: boolean }): Worker {
  return new Worker(script.code, { eval: script.eval });
}

/** Posts one request to `worker` and resolves with its one reply (rejects if the worker fails or exits). */
export function ask<T>(worker: Worker, request: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number) => done(() => reject(new Error(`analysis worker exited with code ${code}`)));
    const onError = (err: Error) => done(() => reject(err));
    const onMessage = (m: T) => done(() => resolve(m));
    const done = (f: () => void) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      f();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request);
  });
}
