import * as vscode from 'vscode';
import { readPhaseResults } from '../../../core/phases/admin';
import { csvRows } from '../../../core/csv/csv';
import { pivotResults, resultFields } from '../../../core/phases/pivot';
import { GroupNode, PhaseNode } from '../phaseNodes';
import { type PhaseCommandDeps, requirePlan, phaseOf } from './phaseCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Phases: Show Results as a pivot in the Matrix panel. */
export async function showPhaseResults(deps: PhaseCommandDeps, arg?: PhaseNode | GroupNode | string): Promise<void> {
  const { model } = deps;
  const { plan, folder } = requirePlan(deps);
  if (!model.status) await model.refresh(true);
  const phaseName =
    phaseOf(arg) ??
    (await vscode.window.showQuickPick(
      plan.phases.map((p) => p.name),
      { placeHolder: 'Which phase?' },
    ));
  const phase = plan.phases.find((p) => p.name === phaseName);
  if (!phase || !model.status) return;
  const results = await readPhaseResults(plan, phase.name, model.status, { cloneDir: folder });
  if (!results.length) return void vscode.window.showInformationMessage(`Airlock: ${phase.name} has no results yet.`);
  const axes = phase.axes.map((a) => a.name);
  const rowAxis = axes.length === 1 ? axes[0]! : await vscode.window.showQuickPick(axes, { placeHolder: 'Rows: which axis?' });
  if (!rowAxis) return;
  const colAxis =
    axes.length === 1
      ? axes[0]!
      : await vscode.window.showQuickPick(
          axes.filter((a) => a !== rowAxis),
          { placeHolder: 'Columns: which axis?' },
        );
  if (!colAxis) return;
  // The default (first, preselected) is the first real result field, not an echo of an axis or `rerun`.
  const fields = resultFields(
    results.map((r) => r.json),
    axes,
  );
  if (!fields.length) throw new UserError(`the results of ${phase.name} have no numeric fields to show.`);
  const field =
    fields.length === 1 ? fields[0]! : await vscode.window.showQuickPick(fields, { placeHolder: 'Cell value: which numeric field (mean over reruns)?' });
  if (!field) return;
  const table = pivotResults({
    phase: phase.name,
    rowAxis,
    colAxis,
    field,
    results,
    axisValues: Object.fromEntries(phase.axes.map((a) => [a.name, a.values])),
  });
  if (deps.showTable) await deps.showTable(table);
  else {
    // The one CSV writer: quoted, and formula cells neutralised (the user may open it in a spreadsheet).
    const csv = csvRows(
      [table.columns, ...table.rows].map((r) => r.map((c) => (c === null ? '' : String(c)))),
      { neutralizeFormulas: true },
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: csv, language: 'csv' }));
  }
}
