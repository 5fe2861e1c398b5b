import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import type { Job, JobRegistry } from '../../core/jobs/jobRegistry';
import { formatDuration } from '../../core/text/duration';
import { code, markdown, tooltip } from '../tree/tooltip';

function describe(job: Job): string {
  const p = job.progress;
  return p ? `${job.title} ${p.done}/${p.total}${p.message ? ` · ${p.message}` : ''}` : job.title;
}

/** Running jobs in the status bar: the job itself when there is one, a count when there are several. */
export function createJobsStatusBar(jobs: JobRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('airlock.jobs', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Airlock Jobs';
  item.command = commandIds.jobsShow;
  const update = () => {
    const running = jobs.running();
    if (!running.length) {
      item.hide();
      return;
    }
    const text = running.length === 1 ? describe(running[0]!) : `${running.length} jobs`;
    item.text = `$(sync~spin) ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
    item.tooltip = tooltip([
      '**Airlock jobs** — click to show logs or cancel',
      running
        .map((j) => markdown`- ${describe(j)}` + (j.host ? markdown` on ${code(j.host)}` : '') + markdown` · ${formatDuration(Date.now() - j.startedAt)}`)
        .join('\n'),
    ]);
    item.show();
  };
  const sub = jobs.onChange(update);
  update();
  return { dispose: () => (sub.dispose(), item.dispose()) };
}
