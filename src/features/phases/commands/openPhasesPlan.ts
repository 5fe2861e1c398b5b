import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../../core/fs/writeFileAtomic';
import { existsSync } from 'node:fs';
import { examplePlan } from '../../../core/phases/examplePlan';
import type { PhaseCommandDeps } from './phaseCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Phases: Open Plan (an example plan is written when there is none). */
export async function openPhasesPlan(deps: PhaseCommandDeps): Promise<void> {
  const { model } = deps;
  const file = model.planFile;
  if (!file) throw new UserError('Open a workspace folder (a clone of your queue repository) first.');
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, examplePlan);
    void model.refresh(false);
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}
