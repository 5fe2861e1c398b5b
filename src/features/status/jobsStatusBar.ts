import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import type { Job, JobRegistry } from '../../core/jobs/jobRegistry';
import { formatDuration } from '../../core/text/duration';
import { code, markdown, tooltip } from '../tree/tooltip';

function describe(job: Job): string {
  const p = job.progress;
  return p ? `${job.title} ${p.done}/${p.total}${p.message ? ` · ${p.message}` : ''}` : job.title;
}

/**
 * Running jobs in the status bar: the job itself with its elapsed time when there is one, a count
 * when there are several. The elapsed time ticks every second while a job runs (the status bar is
 * always on screen), and the timer stops with the last job.
 */
export function createJobsStatusBar(jobs: JobRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('airlock.jobs', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Airlock Jobs';
  item.command = commandIds.jobsShow;
  let tick: NodeJS.Timeout | undefined;
  const update = () => {
    const running = jobs.running();
    if (!running.length) {
      clearInterval(tick);
      tick = undefined;
      item.hide();
      return;
    }
    tick ??= setInterval(update, 1000);
    const text = running.length === 1 ? `${describe(running[0]!)} · ${formatDuration(Date.now() - running[0]!.startedAt)}` : `${running.length} jobs`;
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
  return { dispose: () => (clearInterval(tick), sub.dispose(), item.dispose()) };
}
