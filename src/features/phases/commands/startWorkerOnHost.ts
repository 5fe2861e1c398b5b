import * as vscode from 'vscode';
import { basename } from 'node:path';
import { git } from '../../../core/phases/git';
import { termWaitKillScript } from '../../../core/shell/termWaitKill';
import { withCancellableProgress } from '../../progress';
import { HostNode } from '../../hosts/hostNodes';
import { ensureRemoteCli, phaseWorkersGroup, remoteWorkerCommand, remoteWorkerFiles, type WorkerHandle } from '../../../core/phases/workerLaunch';
import { type PhaseCommandDeps, requirePlan, pickSshHost, planPathIn } from './phaseCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Phases: Start Worker on Host — clones the queue there when missing, tails its log. */
export async function startWorkerOnHost(deps: PhaseCommandDeps, arg?: HostNode | string, cloneDirArg?: string): Promise<void> {
  const { model } = deps;
  const { folder } = requirePlan(deps);
  const spec = arg instanceof HostNode ? arg.view.spec : typeof arg === 'string' ? deps.hosts.model.host(arg)?.spec : await pickSshHost(deps);
  if (!spec) return;
  const origin = await git(folder, ['remote', 'get-url', 'origin'], { allowFail: true });
  if (origin.code !== 0) throw new UserError(`${folder} has no "origin" remote; the host needs a remote to clone and push to.`);
  const cloneDir =
    typeof cloneDirArg === 'string'
      ? cloneDirArg
      : await vscode.window.showInputBox({
          title: `Queue clone on ${spec.name}`,
          value: `~/airlock-queue/${basename(folder)}`,
          prompt: `Cloned from ${origin.stdout.trim()} when missing`,
          ignoreFocusOut: true,
        });
  if (!cloneDir) return;
  const runner = deps.hosts.model.runner(spec.name);
  const name = spec.name;
  const pid = await withCancellableProgress(`Airlock: starting a phase worker on ${spec.name}…`, async (signal) => {
    const cli = await ensureRemoteCli(runner, deps.cliPath, signal);
    const r = await runner.exec(remoteWorkerCommand({ cloneDir, remoteUrl: origin.stdout.trim(), name, cli, planPath: planPathIn(folder) }), {
      signal,
      timeoutMs: 120_000,
    });
    if (r.code !== 0) throw new UserError(`could not start it: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    // It becomes part of the stop and poll commands: only a PID may get there.
    if (!/^\d+$/.test(last)) throw new UserError(`could not start it: expected its PID, got ${JSON.stringify(last.slice(0, 80))}`);
    return last;
  });
  const files = remoteWorkerFiles(name);
  const tail = deps.logs.run(runner, `worker ${name} on ${spec.name}`, `tail -n +1 -F ${files.log}`, 'tail', [phaseWorkersGroup]);
  const poll = setInterval(() => {
    void runner.exec(`kill -0 ${pid} 2>/dev/null`, { timeoutMs: 20_000 }).then(
      (r) => r.code !== 0 && deps.logs.jobs.cancel(tail.jobId),
      () => undefined,
    );
  }, 10_000);
  const handle: WorkerHandle = {
    id: `remote-${spec.name}-${pid}`,
    name,
    where: spec.name,
    startedAt: Date.now(),
    streamId: tail.streamId,
    jobId: tail.jobId,
    // TERM the worker only (it releases its claim and stops its entry), KILL its group after 30 s.
    stop: () =>
      void runner
        .exec(`${termWaitKillScript(pid, 30, { termLeaderOnly: true })}; true`, { timeoutMs: 60_000 })
        .finally(() => deps.logs.jobs.cancel(tail.jobId)),
    exited: tail.done.then(() => clearInterval(poll)),
  };
  model.addWorker(handle);
  void vscode.window.showInformationMessage(`Airlock: phase worker "${name}" runs on ${spec.name} (pid ${pid}); its log streams into Live Logs.`);
}
