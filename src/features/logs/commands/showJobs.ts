import type { LogsFeature } from '../logsFeature';

/** Jobs: Show Running Jobs — pick one to show its logs or cancel it. */
export function showJobs(logs: LogsFeature): Promise<void> {
  return logs.showJobs();
}
