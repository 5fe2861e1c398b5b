import * as vscode from 'vscode';
import { webviewTypes } from '../../ids';
import { JobRegistry, type Job } from '../../core/jobs/jobRegistry';
import { LogStore } from '../../core/logs/logStore';
import { runLogged, type RunLoggedHandle } from '../../core/logs/runLogged';
import type { HostRunner } from '../../core/hosts/types';
import type { LogStreamKind } from '../../core/logs/logStore';
import { onSettingsChanged, readSettings } from '../settings';
import { createJobsStatusBar } from '../status/jobsStatusBar';
import { LogsPanel } from './logsPanel';

export interface LogsFeature {
  store: LogStore;
  jobs: JobRegistry;
  panel: LogsPanel;
  /** Runs a command on a host as a job streaming into Live Logs, and shows it. */
  run(runner: HostRunner, title: string, command: string, kind?: LogStreamKind, group?: string[]): RunLoggedHandle;
  showLogs(streamId?: string): void;
  showJobs(): Promise<void>;
  cancelJob(): Promise<void>;
}

/** Live Logs (store + panel) and running jobs (registry + status bar). */
export function createLogsFeature(context: vscode.ExtensionContext): LogsFeature {
  const store = new LogStore({ maxLinesPerStream: readSettings().logsMaxLinesPerStream });
  const jobs = new JobRegistry();
  const stopStream = (streamId: string) => {
    const job = jobs.running().find((j) => j.logStreamId === streamId);
    if (job) jobs.cancel(job.id);
  };
  const panel = new LogsPanel(context.extensionUri, store, stopStream);
  context.subscriptions.push(
    panel,
    { dispose: () => (jobs.cancelAll(), store.dispose()) },
    createJobsStatusBar(jobs),
    vscode.window.registerWebviewPanelSerializer(webviewTypes.logs, {
      async deserializeWebviewPanel(restored) {
        panel.attach(restored);
      },
    }),
    onSettingsChanged((s) => store.setMaxLinesPerStream(s.logsMaxLinesPerStream)),
  );

  const pickJob = async (placeHolder: string) => {
    const running = jobs.running();
    if (!running.length) {
      void vscode.window.showInformationMessage('Airlock: no jobs are running.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      running.map((j) => ({
        label: j.title,
        description: [j.host, j.progress ? `${j.progress.done}/${j.progress.total}` : undefined].filter(Boolean).join(' · '),
        detail: `started ${new Date(j.startedAt).toLocaleTimeString()}`,
        job: j,
      })),
      { placeHolder },
    );
    return picked?.job;
  };

  return {
    store,
    jobs,
    panel,
    run(runner, title, command, kind = 'command', group) {
      const handle = runLogged({ runner, title, command, kind, logs: store, jobs, ...(group ? { group } : {}) });
      panel.reveal(handle.streamId, true);
      return handle;
    },
    showLogs(streamId) {
      panel.reveal(typeof streamId === 'string' ? streamId : undefined);
    },
    async showJobs() {
      // The status-bar item's picker: click a job for its logs, or its stop button to cancel it.
      if (!jobs.running().length) {
        void vscode.window.showInformationMessage('Airlock: no jobs are running.');
        return;
      }
      const cancelButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-stop'), tooltip: 'Cancel Job' };
      const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { job: Job }>();
      qp.placeholder = 'Running jobs — pick one to show its logs, or cancel it with its stop button';
      const items = () =>
        jobs.running().map((j) => ({
          label: j.title,
          description: [j.host, j.progress ? `${j.progress.done}/${j.progress.total}` : undefined].filter(Boolean).join(' · '),
          detail: `started ${new Date(j.startedAt).toLocaleTimeString()}`,
          buttons: [cancelButton],
          job: j,
        }));
      qp.items = items();
      const sub = jobs.onChange(() => {
        qp.items = items();
        if (!qp.items.length) qp.hide();
      });
      qp.onDidTriggerItemButton((e) => jobs.cancel(e.item.job.id));
      qp.onDidAccept(() => {
        const job = qp.selectedItems[0]?.job;
        qp.hide();
        if (job) panel.reveal(job.logStreamId);
      });
      qp.onDidHide(() => (sub.dispose(), qp.dispose()));
      qp.show();
    },
    async cancelJob() {
      const job = await pickJob('Cancel which job?');
      if (job) jobs.cancel(job.id);
    },
  };
}
