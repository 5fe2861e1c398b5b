// A template's parameters as a form in a quick pick: every parameter with its value, pick one to
// change it (dropdowns and booleans as choices, the rest typed and checked as you type), then accept.
// Only what the user changed is returned, so a render touches nothing else.
import * as vscode from 'vscode';
import type { FormParam } from '../../core/notebook/colabForm';
import { ParamError, pyLiteral } from '../../core/notebook/pyLiteral';

const plain = (v: string) => v.trim().replace(/^(["'])(.*)\1$/s, '$2');

interface Row extends vscode.QuickPickItem {
  param?: FormParam;
}

/** Resolves to the changed values (name → value as typed), or undefined when the user cancels. */
export async function editParams(params: FormParam[], title: string, acceptLabel: string): Promise<Record<string, string> | undefined> {
  const set: Record<string, string> = {};
  let active: string | undefined;
  for (;;) {
    const rows: Row[] = [
      { label: `$(check) ${acceptLabel}`, description: Object.keys(set).length ? `${Object.keys(set).length} changed` : 'template values', alwaysShow: true },
      { label: 'Parameters', kind: vscode.QuickPickItemKind.Separator },
      ...params.map((p) => ({
        label: p.name,
        description: `${p.name in set ? '● ' : ''}= ${p.name in set ? set[p.name] : plain(p.value)}`,
        detail: `${p.type}${p.options ? `: ${p.options.map(plain).join(' | ')}` : ''}`,
        param: p,
      })),
    ];
    const qp = vscode.window.createQuickPick<Row>();
    Object.assign(qp, { title, items: rows, placeholder: 'Pick a parameter to change it, or accept', ignoreFocusOut: true, matchOnDescription: true });
    const again = rows.find((r) => r.param?.name === active);
    if (again) qp.activeItems = [again];
    const chosen = await new Promise<Row | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]));
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!chosen) return undefined;
    if (!chosen.param) return set;
    const p = chosen.param;
    active = p.name;
    const value = await askValue(p, p.name in set ? set[p.name]! : plain(p.value));
    if (value === undefined) continue;
    if (value === plain(p.value)) delete set[p.name];
    else set[p.name] = value;
  }
}

async function askValue(p: FormParam, current: string): Promise<string | undefined> {
  const choices = p.options && !p.allowInput ? p.options.map(plain) : p.type === 'boolean' ? ['True', 'False'] : undefined;
  if (choices) return vscode.window.showQuickPick(choices, { title: `${p.name} (${p.type})`, placeHolder: current, ignoreFocusOut: true });
  return vscode.window.showInputBox({
    title: `${p.name} (${p.type})`,
    value: current,
    ignoreFocusOut: true,
    prompt: "Written into the notebook as a Python literal of the form's type",
    validateInput: (v) => {
      try {
        pyLiteral(p.name, p.type, v);
        return undefined;
      } catch (err) {
        return err instanceof ParamError ? err.message : String(err);
      }
    },
  });
}
