import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import type { Job, JobRegistry } from '../../core/jobs/jobRegistry';

function describe(job: Job): string {
  const p = job.progress;
  return p ? `${job.title} ${p.done}/${p.total}${p.message ? ` · ${p.message}` : ''}` : job.title;
}

function elapsed(job: Job): string {
  const s = Math.round((Date.now() - job.startedAt) / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
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
    const md = new vscode.MarkdownString('**Airlock jobs** — click to show logs or cancel\n\n');
    for (const j of running) md.appendMarkdown(`- ${describe(j).replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}${j.host ? ` on \`${j.host}\`` : ''} · ${elapsed(j)}\n`);
    item.tooltip = md;
    item.show();
  };
  const sub = jobs.onChange(update);
  update();
  return { dispose: () => (sub.dispose(), item.dispose()) };
}
