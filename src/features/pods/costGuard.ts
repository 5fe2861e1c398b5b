// Never leave a $3/hour pod running by accident: the total $/hr of running pods in the status bar,
// a warning with one-click Stop when a pod's GPUs idle, optional auto-stop, and — at start-up and
// then hourly — a reminder of the pods Airlock created that bill with no on-pod watchdog (orphans),
// with their $/hr and age.
import * as vscode from 'vscode';
import { markdown, tooltip } from '../tree/tooltip';
import { formatDollars, totalHourlyCost } from '../../core/pods/cost';
import { IdleTracker } from '../../core/pods/idle';
import { findOrphans } from '../../core/pods/orphans';
import type { PodInfo } from '../../core/pods/types';
import { viewIds } from '../../ids';
import { readSettings } from '../settings';
import type { PodsModel } from './podsModel';

export class CostGuard implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('airlock.pods.cost', vscode.StatusBarAlignment.Left, 40);
  private readonly tracker = new IdleTracker();
  private readonly warned = new Set<string>();
  private remindedAt = 0;
  private static readonly remindEveryMs = 60 * 60_000;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly model: PodsModel,
    private readonly stopPod: (pod: PodInfo, why: string) => Promise<void>,
  ) {
    this.item.name = 'Airlock: running pods';
    this.item.command = `${viewIds.pods}.focus`;
    this.sub = model.onDidChange(() => this.update());
  }

  private update(): void {
    const running = this.model.pods.filter((p) => p.state === 'running' || p.state === 'starting');
    if (!running.length) this.item.hide();
    else {
      const total = totalHourlyCost(running);
      this.item.text = `$(server-environment) ${running.length} pod${running.length === 1 ? '' : 's'} · ${formatDollars(total)}/hr`;
      this.item.tooltip = tooltip([
        markdown`**Running pods** — ${formatDollars(total)}/hr in all`,
        running.map((p) => markdown`- ${p.name}: ${p.gpuCount}× ${p.gpuName ?? '?'} · ${formatDollars(p.costPerHour)}/hr`).join('\n'),
        'Click to show the Pods view.',
      ]);
      this.item.backgroundColor = total >= 2 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.item.show();
    }
    if (this.model.refreshedAt) {
      this.remindAtStart(running);
      void this.checkIdle();
    }
  }

  private remindAtStart(running: PodInfo[]): void {
    if (this.remindedAt && Date.now() - this.remindedAt < CostGuard.remindEveryMs) return;
    this.remindedAt = Date.now();
    // Pods with an on-pod watchdog stop themselves; the reminder is for the ones nothing guards.
    const orphans = findOrphans(running);
    const ours = orphans.map((o) => o.pod);
    if (!ours.length) return;
    const age = (h: number | undefined) => (h === undefined ? '' : h < 1 ? `, ${Math.round(h * 60)} min old` : `, ${h.toFixed(1)} h old`);
    void vscode.window
      .showWarningMessage(
        `Airlock: ${ours.length} pod${ours.length === 1 ? '' : 's'} created by Airlock ${ours.length === 1 ? 'bills' : 'bill'} with no watchdog (${formatDollars(totalHourlyCost(ours))}/hr): ${orphans.map((o) => `${o.pod.name} (${formatDollars(o.pod.costPerHour)}/hr${age(o.ageHours)})`).join(', ')}.`,
        'Show Pods',
        'Stop All',
      )
      .then(async (a) => {
        if (a === 'Show Pods') await vscode.commands.executeCommand(`${viewIds.pods}.focus`);
        if (a === 'Stop All') for (const p of ours) await this.stopPod(p, 'stopped from the start-up reminder');
      });
  }

  private async checkIdle(): Promise<void> {
    const s = readSettings();
    const warnAfter = s.podsAutoStopIdleMinutes > 0 ? Math.min(s.podsIdleWarnMinutes, s.podsAutoStopIdleMinutes) : s.podsIdleWarnMinutes;
    for (const idle of this.tracker.observe(this.model.pods, warnAfter)) {
      const p = idle.pod;
      if (s.podsAutoStopIdleMinutes > 0 && idle.idleMinutes >= s.podsAutoStopIdleMinutes) {
        await this.stopPod(p, `its GPUs were idle for ${Math.round(idle.idleMinutes)} min (airlock.pods.autoStopIdleMinutes)`);
        continue;
      }
      if (this.warned.has(p.id)) continue;
      this.warned.add(p.id);
      void vscode.window
        .showWarningMessage(
          `Airlock: pod "${p.name}" has had idle GPUs for ${Math.round(idle.idleMinutes)} min — it costs ${formatDollars(p.costPerHour)}/hr.`,
          'Stop Pod',
          'Keep Running',
        )
        .then((a) => (a === 'Stop Pod' ? this.stopPod(p, 'stopped from the idle warning') : undefined));
    }
    for (const id of [...this.warned]) if (!this.model.pods.some((p) => p.id === id && p.state === 'running')) this.warned.delete(id);
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
