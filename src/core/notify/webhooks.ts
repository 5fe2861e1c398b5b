// Run notifications: Slack wants {text}, Discord {content} (the original sent {text} to both, which
// Discord rejects), anything else gets a generic JSON payload. Sent by Airlock when it sees the end,
// so the webhook URL stays a local secret — and is never echoed in an error.

export type WebhookKind = 'slack' | 'discord' | 'json';

export interface RunNotice {
  title: string;
  state: 'done' | 'failed' | 'cancelled' | 'timed-out';
  detail?: string;
  url?: string;
}

export class NotifyError extends Error {
  override readonly name = 'NotifyError';
}

export function webhookKind(url: string): WebhookKind {
  if (/^https:\/\/hooks\.slack\.com\//.test(url)) return 'slack';
  if (/^https:\/\/(ptb\.|canary\.)?discord(app)?\.com\/api\/webhooks\//.test(url)) return 'discord';
  return 'json';
}

function noticeText(n: RunNotice): string {
  const icon = n.state === 'done' ? '✅' : n.state === 'cancelled' ? '⏹' : '❌';
  return `${icon} ${n.title}: ${n.state}${n.detail ? ` — ${n.detail}` : ''}${n.url ? `\n${n.url}` : ''}`;
}

export function webhookPayload(kind: WebhookKind, n: RunNotice): Record<string, unknown> {
  const text = noticeText(n);
  if (kind === 'slack') return { text };
  // Discord limits content to 2000 characters.
  if (kind === 'discord') return { content: text.length > 2000 ? `${text.slice(0, 1997)}...` : text };
  return { source: 'airlock', title: n.title, state: n.state, detail: n.detail ?? null, url: n.url ?? null, text };
}

/** Posts the notice; `kind` defaults to what the URL looks like. Errors name the kind and status only. */
export async function notify(url: string, n: RunNotice, kind: WebhookKind = webhookKind(url), signal?: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'airlock' },
      body: JSON.stringify(webhookPayload(kind, n)),
      signal: signal ?? AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new NotifyError(`the ${kind} webhook could not be reached (${(err as Error).name === 'TimeoutError' ? 'timed out' : 'network error'})`);
  }
  if (!res.ok)
    throw new NotifyError(
      `the ${kind} webhook answered HTTP ${res.status}${res.status === 400 && kind === 'json' ? ' (if it is Discord or Slack, pass --notify discord|slack)' : ''}`,
    );
}
