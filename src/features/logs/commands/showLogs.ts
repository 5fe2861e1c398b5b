import type { LogsFeature } from '../logsFeature';

/** Logs: Show Live Logs — on the stream given (a tree row's log), else the last one. */
export function showLogs(logs: LogsFeature, streamId?: string): void {
  logs.showLogs(typeof streamId === 'string' ? streamId : undefined);
}
