import * as vscode from 'vscode';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/fs/writeFileAtomic';
import { termWaitKillScript } from '../../core/shell/termWaitKill';
import { csvRows } from '../../core/csv/csv';
import { existsSync } from 'node:fs';
import { generate, readPhaseResults, releaseStaleClaims, requeueFailed } from '../../core/phases/admin';
import { git } from '../../core/phases/git';
import { layout } from '../../core/phases/layout';
import { numericFields, pivotResults, type PivotTable } from '../../core/phases/pivot';
import { guarded, withCancellableProgress } from '../commandBoundary';
import { HostNode } from '../hosts/hostNodes';
import type { HostsFeature } from '../hosts/hostsFeature';
import type { LogsFeature } from '../logs/logsFeature';
import { readSettings } from '../settings';
import { EntryNode, GroupNode, PhaseNode, WorkerNode } from './phaseNodes';
import type { PhasesModel } from './phasesModel';
import { queueUri } from './queueDocuments';
import { ensureRemoteCli, remoteWorkerCommand, remoteWorkerFiles, startLocalWorker, type WorkerHandle } from './workers';
import { examplePlan } from './examplePlan';

export interface PhaseCommandDeps {
  model: PhasesModel;
  logs: LogsFeature;
  hosts: HostsFeature;
  cliPath: string;
  log: vscode.LogOutputChannel;
  showTable?: (table: PivotTable) => void | Promise<void>;
}

function requirePlan(deps: PhaseCommandDeps) {
  const { plan, folder } = deps.model;
  if (!folder) throw new UserError('Open the clone of your queue repository as a workspace folder first.');
  if (!plan) throw new UserError(deps.model.planError ?? `There is no ${readSettings().phasesPlanPath} in ${folder} — run "Airlock: Open Phases Plan" to create one.`);
  return { plan, folder };
}

class UserError extends Error {}



const phaseOf = (arg: unknown) => (arg instanceof PhaseNode ? arg.status.phase : arg instanceof GroupNode ? arg.phase : typeof arg === 'string' ? arg : undefined);

export function phaseCommands(deps: PhaseCommandDeps) {
  const { model } = deps;
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void model.refresh(false), 400);
  };
  const onWorkerLine = (w: WorkerHandle, line: string) => {
    if (!line.startsWith('[worker]')) return;
    w.lastLine = line.replace(/^\[worker\] /, '').slice(0, 80);
    // The worker's fetches update origin/<branch> in this very repository: re-read without a fetch.
    if (/claimed|pushed|released|failed/.test(line)) refreshSoon();
    else model.fire();
  };

  return {
    refresh: () => guarded('Refresh Phases', deps.log, () => Promise.resolve(vscode.window.withProgress({ location: { viewId: 'airlock.phases' } }, () => model.refresh(true)))),

    openPlan: () => guarded('Open Phases Plan', deps.log, async () => {
      const file = model.planFile;
      if (!file) throw new UserError('Open a workspace folder (a clone of your queue repository) first.');
      if (!existsSync(file)) {
        await mkdir(dirname(file), { recursive: true });
        await writeFileAtomic(file, examplePlan);
        void model.refresh(false);
      }
      await vscode.window.showTextDocument(vscode.Uri.file(file));
    }),

    generate: () => guarded('Generate', deps.log, async () => {
      const { plan, folder } = requirePlan(deps);
      const res = await withCancellableProgress('Airlock: generating phase TODO lists…', (signal) => generate(plan, { cloneDir: folder, signal, push: true }));
      void vscode.window.showInformationMessage(`Airlock: ${res.map((r) => `${r.phase}: ${r.entries} entries${r.skippedDone ? ` (${r.skippedDone} already done)` : ''}`).join('; ')}.`);
      await model.refresh(false);
    }),

    startWorkerHere: (arg?: unknown) => guarded('Start Worker', deps.log, async () => {
      const { folder } = requirePlan(deps);
      const name = readSettings().phasesWorkerName || hostname();
      const phase = phaseOf(arg);
      const w = startLocalWorker({ cliPath: deps.cliPath, cloneDir: folder, name, logs: deps.logs, onLine: onWorkerLine, ...(phase ? { phases: [phase] } : {}) });
      model.addWorker(w);
      deps.logs.showLogs(w.streamId);
    }),

    startWorkerOnHost: (arg?: unknown, cloneDirArg?: unknown) => guarded('Start Worker on Host', deps.log, async () => {
      const { folder } = requirePlan(deps);
      const spec = arg instanceof HostNode ? arg.view.spec : typeof arg === 'string' ? deps.hosts.model.host(arg)?.spec : await pickSshHost(deps);
      if (!spec) return;
      const origin = await git(folder, ['remote', 'get-url', 'origin'], { allowFail: true });
      if (origin.code !== 0) throw new UserError(`${folder} has no "origin" remote; the host needs a remote to clone and push to.`);
      const cloneDir = typeof cloneDirArg === 'string' ? cloneDirArg : await vscode.window.showInputBox({ title: `Queue clone on ${spec.name}`, value: `~/airlock-queue/${basename(folder)}`, prompt: `Cloned from ${origin.stdout.trim()} when missing`, ignoreFocusOut: true });
      if (!cloneDir) return;
      const runner = deps.hosts.model.runner(spec.name);
      const name = spec.name;
      const pid = await withCancellableProgress(`Airlock: starting a phase worker on ${spec.name}…`, async (signal) => {
        const cli = await ensureRemoteCli(runner, deps.cliPath, signal);
        const r = await runner.exec(remoteWorkerCommand({ cloneDir, remoteUrl: origin.stdout.trim(), name, cli }), { signal, timeoutMs: 120_000 });
        if (r.code !== 0) throw new UserError(`could not start it: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`);
        const last = r.stdout.trim().split('\n').at(-1) ?? '';
        // It becomes part of the stop and poll commands: only a PID may get there.
        if (!/^\d+$/.test(last)) throw new UserError(`could not start it: expected its PID, got ${JSON.stringify(last.slice(0, 80))}`);
        return last;
      });
      const files = remoteWorkerFiles(name);
      const tail = deps.logs.run(runner, `worker ${name} on ${spec.name}`, `tail -n +1 -F ${files.log}`, 'tail');
      const poll = setInterval(() => {
        void runner.exec(`kill -0 ${pid} 2>/dev/null`, { timeoutMs: 20_000 }).then((r) => r.code !== 0 && deps.logs.jobs.cancel(tail.jobId), () => undefined);
      }, 10_000);
      const handle: WorkerHandle = {
        id: `remote-${spec.name}-${pid}`, name, where: spec.name, startedAt: Date.now(), streamId: tail.streamId, jobId: tail.jobId,
        // TERM the worker only (it releases its claim and stops its entry), KILL its group after 30 s.
        stop: () => void runner.exec(`${termWaitKillScript(pid, 30, { termLeaderOnly: true })}; true`, { timeoutMs: 60_000 })
          .finally(() => deps.logs.jobs.cancel(tail.jobId)),
        exited: tail.done.then(() => clearInterval(poll)),
      };
      model.addWorker(handle);
      void vscode.window.showInformationMessage(`Airlock: phase worker "${name}" runs on ${spec.name} (pid ${pid}); its log streams into Live Logs.`);
    }),

    stopWorker: (arg?: unknown) => guarded('Stop Worker', deps.log, async () => {
      let w = arg instanceof WorkerNode ? arg.worker : undefined;
      if (!w) {
        if (!model.workers.length) return void vscode.window.showInformationMessage('Airlock: no phase worker was started from this window.');
        w = (await vscode.window.showQuickPick(model.workers.map((x) => ({ label: x.name, description: x.where, x }))))?.x;
      }
      w?.stop();
    }),

    releaseStale: () => guarded('Release Stale Claims', deps.log, async () => {
      const { folder } = requirePlan(deps);
      const stale = model.status?.phases.flatMap((p) => p.entries.filter((e) => e.state === 'stale')) ?? [];
      if (!stale.length) return void vscode.window.showInformationMessage('Airlock: no stale claims (every claim has a live lease).');
      const ok = await vscode.window.showWarningMessage(`Release ${stale.length} stale claim(s)? Their workers stopped refreshing the lease; the entries go back to the queue.`, { modal: true, detail: stale.slice(0, 10).map((e) => `${e.entry} — ${e.claim?.host}`).join('\n') }, 'Release');
      if (ok !== 'Release') return;
      const released = await withCancellableProgress('Airlock: releasing stale claims…', (signal) => releaseStaleClaims({ cloneDir: folder, signal }));
      void vscode.window.showInformationMessage(`Airlock: released ${released.length} stale claim(s).`);
      await model.refresh(false);
    }),

    requeueFailed: (arg?: unknown) => guarded('Requeue Failed', deps.log, async () => {
      const { plan, folder } = requirePlan(deps);
      const phase = phaseOf(arg);
      const failed = model.status?.phases.filter((p) => !phase || p.phase === phase).reduce((n, p) => n + p.counts.failed, 0) ?? 0;
      if (!failed) return void vscode.window.showInformationMessage('Airlock: no failed entries.');
      const ok = await vscode.window.showWarningMessage(`Requeue ${failed} failed entr${failed === 1 ? 'y' : 'ies'}${phase ? ` of ${phase}` : ''}? Their failure records are removed and workers take them again.`, { modal: true }, 'Requeue');
      if (ok !== 'Requeue') return;
      const done = await withCancellableProgress('Airlock: requeueing failed entries…', (signal) => requeueFailed(plan, { cloneDir: folder, signal, ...(phase ? { phase } : {}) }));
      void vscode.window.showInformationMessage(`Airlock: requeued ${done.length} entr${done.length === 1 ? 'y' : 'ies'}.`);
      await model.refresh(false);
    }),

    openResult: (arg?: unknown) => guarded('Open Result', deps.log, async () => {
      if (!(arg instanceof EntryNode)) return;
      await vscode.window.showTextDocument(queueUri(layout.result(arg.entry), refOf(model)), { preview: true });
    }),

    openLog: (arg?: unknown) => guarded('Open Entry Log', deps.log, async () => {
      if (!(arg instanceof EntryNode)) return;
      const path = arg.status.state === 'failed' ? layout.failedLog(arg.entry) : layout.log(arg.entry);
      await vscode.window.showTextDocument(queueUri(path, refOf(model)), { preview: true });
    }),

    showResults: (arg?: unknown) => guarded('Show Phase Results', deps.log, async () => {
      const { plan, folder } = requirePlan(deps);
      if (!model.status) await model.refresh(true);
      const phaseName = phaseOf(arg) ?? (await vscode.window.showQuickPick(plan.phases.map((p) => p.name), { placeHolder: 'Which phase?' }));
      const phase = plan.phases.find((p) => p.name === phaseName);
      if (!phase || !model.status) return;
      const results = await readPhaseResults(plan, phase.name, model.status, { cloneDir: folder });
      if (!results.length) return void vscode.window.showInformationMessage(`Airlock: ${phase.name} has no results yet.`);
      const axes = phase.axes.map((a) => a.name);
      const rowAxis = axes.length === 1 ? axes[0]! : await vscode.window.showQuickPick(axes, { placeHolder: 'Rows: which axis?' });
      if (!rowAxis) return;
      const colAxis = axes.length === 1 ? axes[0]! : await vscode.window.showQuickPick(axes.filter((a) => a !== rowAxis), { placeHolder: 'Columns: which axis?' });
      if (!colAxis) return;
      const fields = [...new Set(results.flatMap((r) => numericFields(r.json)))];
      if (!fields.length) throw new UserError(`the results of ${phase.name} have no numeric fields to show.`);
      const field = fields.length === 1 ? fields[0]! : await vscode.window.showQuickPick(fields, { placeHolder: 'Cell value: which numeric field (mean over reruns)?' });
      if (!field) return;
      const table = pivotResults({ phase: phase.name, rowAxis, colAxis, field, results, axisValues: Object.fromEntries(phase.axes.map((a) => [a.name, a.values])) });
      if (deps.showTable) await deps.showTable(table);
      else {
        // The one CSV writer: quoted, and formula cells neutralised (the user may open it in a spreadsheet).
        const csv = csvRows([table.columns, ...table.rows].map((r) => r.map((c) => (c === null ? '' : String(c)))), { neutralizeFormulas: true });
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: csv, language: 'csv' }));
      }
    }),
  };
}

function refOf(model: PhasesModel): string {
  const s = model.status?.source;
  return !s || s === 'local checkout' ? 'HEAD' : s;
}

async function pickSshHost(deps: PhaseCommandDeps) {
  const hosts = deps.hosts.model;
  if (!hosts.isLoaded) await hosts.reload();
  const ssh = hosts.hosts.filter((h) => h.spec.kind === 'ssh');
  if (!ssh.length) {
    void vscode.window.showInformationMessage('Airlock: no SSH hosts yet — add one in the Hosts view. (To run a worker on this machine use "Start Phase Worker Here".)');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(ssh.map((h) => ({ label: h.spec.name, description: h.facts?.reachable === false ? `unreachable: ${h.facts.reason}` : '', spec: h.spec })), { placeHolder: 'Start a phase worker on…' });
  return picked?.spec;
}
