import type { CommandArgs } from '../../commandTypes';
import { commandIds } from '../../../ids';
import type { HostCommandDeps } from '../../hosts/commands/hostCommandDeps';
import type { PhaseCommandDeps } from '../../phases/commands/phaseCommandDeps';
import type { PodCommandDeps } from '../../pods/commands/podCommandDeps';
import type { NotebookDeps } from '../../notebook/notebookDeps';
import type { SweepRun } from '../../../core/sweep/sweepRun';
import { EntryNode } from '../../phases/phaseNodes';
import { RunNode as NotebookRunNode } from '../../notebook/notebookRunNodes';
import { CaseNode } from '../../sweeps/sweepNodes';
import { PodNode } from '../../pods/podNodes';
import { importRunFromHost } from './importRunFromHost';
import { importRunFromPod } from './importRunFromPod';
import { importRunFromSweepCase } from './importRunFromSweepCase';
import { importRunFromPhaseEntry } from './importRunFromPhaseEntry';
import { importRunFromNotebookArg } from './importRunFromNotebook';

export interface ImportRunDeps {
  hosts: HostCommandDeps;
  phases: PhaseCommandDeps;
  pods: PodCommandDeps;
  notebook: NotebookDeps;
  sweepRuns: () => readonly SweepRun[];
}

type From = CommandArgs[typeof commandIds.protocolImportRun][0];

/** Airlock: Import Run — one command on every finished run: a host's run directory, a pod, a sweep case, a phase entry, a notebook run. */
export function importRun(d: ImportRunDeps, from: From, dir?: string): Promise<void> {
  const has = (key: string) => typeof from === 'object' && from !== null && key in from;
  if (from instanceof EntryNode || has('phaseEntry')) return importRunFromPhaseEntry(d.phases, from as EntryNode | { phaseEntry: string });
  if (from instanceof NotebookRunNode || has('notebookRun')) return importRunFromNotebookArg(d.notebook, from as NotebookRunNode | { notebookRun: string });
  if (from instanceof CaseNode || has('sweepRun')) return importRunFromSweepCase(d.sweepRuns(), from as CaseNode | { sweepRun: string; caseIndex: number });
  if (from instanceof PodNode || has('pod')) return importRunFromPod(d.pods, from instanceof PodNode ? from : (from as { pod: string }).pod, dir);
  return importRunFromHost(d.hosts, from as Parameters<typeof importRunFromHost>[1], dir);
}
