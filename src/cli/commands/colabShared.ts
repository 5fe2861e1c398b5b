// Small pieces the colab subcommands share: --set parsing and the end-of-run notification.
import type { CliContext } from '../types';
import { UsageError } from '../errors';
import { notify, type RunNotice, type WebhookKind } from '../../core/notify/webhooks';

export function parseSetFlags(list: string[] | undefined): Record<string, string> {
  const set: Record<string, string> = {};
  for (const s of list ?? []) {
    const at = s.indexOf('=');
    if (at <= 0) throw new UsageError(`--set takes KEY=VALUE, got "${s}"`);
    set[s.slice(0, at)] = s.slice(at + 1);
  }
  return set;
}

/** Posts to AIRLOCK_WEBHOOK_URL; a failure is a warning (the run's outcome stands), never shows the URL. */
export async function sendNotice(kind: string, n: RunNotice, ctx: CliContext): Promise<void> {
  await notify(process.env.AIRLOCK_WEBHOOK_URL!, n, kind as WebhookKind).catch((e: Error) =>
    ctx.stderr.write(`airlock colab: notification failed: ${e.message}\n`),
  );
}
