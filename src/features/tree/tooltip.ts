// Every Markdown tooltip of every tree node is built here: a trusted template (ours) with escaped
// values (anyone's), untrusted (no command links), HTML off. Theme icons only where we ask.
import * as vscode from 'vscode';

export { code, markdown } from '../../core/text/markdown';

/** A tooltip from parts already built with `markdown`…``; empty parts are dropped. */
export function tooltip(parts: (string | false | undefined)[], o: { themeIcons?: boolean } = {}): vscode.MarkdownString {
  const md = new vscode.MarkdownString(parts.filter(Boolean).join('\n\n'), o.themeIcons ?? false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
