// `airlock notebook render`: a template notebook + parameters → a configured notebook. Edits are
// made on the file's text (jsonc-parser `modify`), so every byte outside the changed values — other
// cells, metadata, formatting — stays exactly as it was.
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { findFormParams, rewriteFormLine, type FormParam } from './colabForm';
import { ParamError, pyLiteral, typeOfPythonValue } from './pyLiteral';
import { checkNotebook } from './readNotebook';
import { findSecrets } from './secrets';
import { doneCellSource, isStatusCell, statusCell, statusCellSource, type StatusWriterOptions } from './statusWriter';

export type GpuChoice = 'T4' | 'L4' | 'A100' | 'V100' | 'none';

export interface RenderOptions {
  set: Record<string, string>;
  /** Sets `metadata.accelerator` and `metadata.colab.gpuType` (none removes them). */
  gpu?: GpuChoice;
  /** Accept secret-looking parameter names or values (never needed: pass secrets at run time). */
  allowSecrets?: boolean;
  /** Insert Airlock's status writer (first and last code cells), replacing any from an earlier render. */
  status?: StatusWriterOptions;
}

export interface RenderResult {
  text: string;
  params: FormParam[];
  changed: string[];
}

interface NbCell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
}

const secretName = /(webhook|token|secret|password|passwd|api_?key|private_?key|credential)/i;

const lines = (src: string | string[]) => (Array.isArray(src) ? src : src.split(/(?<=\n)/));

function formatting(text: string): FormattingOptions {
  const indent = /\n( +)"/.exec(text)?.[1]?.length ?? 1;
  return { insertSpaces: true, tabSize: indent, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** Parameters of a papermill `parameters` cell: top-level `NAME = value` lines. */
function papermillParams(cellLines: string[], cell: number): FormParam[] {
  return cellLines.flatMap((raw, line) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*(#.*)?$/.exec(raw.replace(/\r?\n$/, ''));
    return m ? [{ name: m[1]!, value: m[2]!, type: typeOfPythonValue(m[2]!), cell, line }] : [];
  });
}

export function notebookParams(text: string, file: string): { params: FormParam[]; papermillCell?: number } {
  checkNotebook(text, file);
  let nb: { cells?: NbCell[] };
  try {
    nb = JSON.parse(text) as { cells?: NbCell[] };
  } catch (err) {
    throw new ParamError(`${file} is not a notebook (invalid JSON: ${(err as Error).message})`);
  }
  if (!Array.isArray(nb.cells)) throw new ParamError(`${file} is not a notebook: it has no "cells" list`);
  const params: FormParam[] = [];
  let papermillCell: number | undefined;
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== 'code') return;
    if (c.metadata?.tags?.includes('parameters') && papermillCell === undefined) {
      papermillCell = i;
      params.push(...papermillParams(lines(c.source), i).filter((p) => !params.some((q) => q.name === p.name)));
      return;
    }
    for (const p of findFormParams(lines(c.source), i)) if (!params.some((q) => q.name === p.name)) params.push(p);
  });
  return { params, papermillCell };
}

/** Async because the secret check loads its rule set on first use. */
export async function renderNotebook(text: string, file: string, o: RenderOptions): Promise<RenderResult> {
  const { params, papermillCell } = notebookParams(text, file);
  const nb = JSON.parse(text) as { cells: NbCell[] };
  const fmt = formatting(text);
  const changed: string[] = [];
  for (const [name, value] of Object.entries(o.set)) {
    if (!params.some((p) => p.name === name)) {
      throw new ParamError(
        `${file} has no parameter "${name}"; its parameters are ${params.length ? params.map((p) => `${p.name} (${p.type})`).join(', ') : 'none (no #@param lines and no "parameters" cell)'}`,
      );
    }
    if (o.allowSecrets) continue;
    const found = secretName.test(name) ? [{ rule: 'a secret-like parameter name' }] : await findSecrets(value);
    if (found.length) {
      throw new ParamError(
        `"${name}" looks like a secret; Airlock never writes secrets into a notebook (it is uploaded and shared; matched: ${found[0]!.rule}). Read it at run time instead, e.g. os.environ or Colab's userdata, and keep it in VS Code's secret storage.`,
      );
    }
  }
  let out = text;
  const edit = (path: (string | number)[], value: unknown, insert = false) => {
    out = applyEdits(out, modify(out, path, value, { formattingOptions: fmt, isArrayInsertion: insert }));
  };
  // Colab form lines: replace only the line, in place.
  const byCell = new Map<number, { line: number; text: string }[]>();
  for (const p of params.filter((x) => x.cell !== papermillCell && o.set[x.name] !== undefined)) {
    const src = lines(nb.cells[p.cell]!.source);
    byCell.set(p.cell, [...(byCell.get(p.cell) ?? []), { line: p.line, text: rewriteFormLine(src[p.line]!, p, o.set[p.name]!) }]);
    changed.push(p.name);
  }
  for (const [cell, edits] of byCell) {
    const source = nb.cells[cell]!.source;
    if (Array.isArray(source)) for (const e of edits) edit(['cells', cell, 'source', e.line], e.text);
    else {
      const src = lines(source);
      for (const e of edits) src[e.line] = e.text;
      edit(['cells', cell, 'source'], src.join(''));
    }
  }
  // Papermill: an `injected-parameters` cell right after the `parameters` cell, as papermill does.
  const injected = params.filter((p) => p.cell === papermillCell && o.set[p.name] !== undefined);
  if (papermillCell !== undefined && injected.length) {
    const body = injected.map((p, k) => `${p.name} = ${pyLiteral(p.name, p.type, o.set[p.name]!)}${k < injected.length - 1 ? '\n' : ''}`);
    const cell = { cell_type: 'code', execution_count: null, metadata: { tags: ['injected-parameters'] }, outputs: [], source: ['# Parameters\n', ...body] };
    const next = nb.cells[papermillCell + 1];
    edit(['cells', papermillCell + 1], cell, !next?.metadata?.tags?.includes('injected-parameters'));
    changed.push(...injected.map((p) => p.name));
  }
  if (o.gpu) {
    if (o.gpu === 'none') {
      edit(['metadata', 'accelerator'], undefined);
      if (/"gpuType"/.test(out)) edit(['metadata', 'colab', 'gpuType'], undefined);
    } else {
      edit(['metadata', 'accelerator'], 'GPU');
      edit(['metadata', 'colab', 'gpuType'], o.gpu);
    }
  }
  if (o.status) {
    const cells = (JSON.parse(out) as { cells: NbCell[] }).cells;
    // Remove an earlier render's status cells (from the end, so indices stay valid).
    for (let i = cells.length - 1; i >= 0; i--) if (cells[i]!.cell_type === 'code' && isStatusCell(cells[i]!.source)) edit(['cells', i], undefined);
    const kept = cells.filter((c) => !(c.cell_type === 'code' && isStatusCell(c.source)));
    const total = kept.filter((c) => c.cell_type === 'code').length + 2;
    const first = Math.max(
      0,
      kept.findIndex((c) => c.cell_type === 'code'),
    );
    edit(['cells', kept.length], statusCell('airlock-status-done', doneCellSource()), true);
    edit(['cells', first], statusCell('airlock-status', statusCellSource(o.status, total)), true);
  }
  return { text: out, params, changed };
}
