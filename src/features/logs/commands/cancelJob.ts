import type { LogsFeature } from '../logsFeature';

/** Jobs: Cancel Job — pick a running job. */
export function cancelJob(logs: LogsFeature): Promise<void> {
  return logs.cancelJob();
}
