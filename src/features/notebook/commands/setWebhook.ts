import * as vscode from 'vscode';
import type { NotebookDeps } from '../notebookDeps';
import { webhookKey } from '../runAnnounce';

/** Notify: Set Webhook — kept in SecretStorage; empty removes it. */
export async function setWebhook(d: NotebookDeps): Promise<void> {
  const url = await vscode.window.showInputBox({
    title: 'Notification webhook (Slack, Discord or any JSON endpoint)',
    password: true,
    prompt: 'Kept in secret storage; Airlock posts the end of each run. Empty removes it.',
    ignoreFocusOut: true,
  });
  if (url === undefined) return;
  if (url.trim()) await d.context.secrets.store(webhookKey, url.trim());
  else await d.context.secrets.delete(webhookKey);
}
