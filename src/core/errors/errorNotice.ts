// What a person sees when a command fails, decided once for every command: the message, and the
// actions that fix the cause — a config error opens its file at the line, SSH host-key and auth
// errors lead to the file to fix, RunPod capacity/auth offer another GPU or the API key, a Colab
// sign-in offers a visible browser and a retry. "Show Log" is always there. No `vscode` here:
// the editor's presentError turns these into a notification.
import { commandIds, type CommandId } from '../../ids';
import { isColabError } from '../colab/colabErrors';
import { isPodError } from '../pods/errors';
import { isCancelled } from '../process/errors';
import { AuthFailedError, HostKeyChangedError, HostKeyRejectedError } from '../ssh/errors';
import { errorMessage } from '../text/errorMessage';

export type NoticeAction =
  | { title: string; kind: 'open'; file: string; line: number }
  | { title: string; kind: 'command'; command: CommandId }
  | { title: string; kind: 'retry'; showBrowser: boolean }
  | { title: 'Show Log'; kind: 'log' };

export interface ErrorNotice {
  message: string;
  actions: NoticeAction[];
}

const showLogAction: NoticeAction = { title: 'Show Log', kind: 'log' };

/** A config problem from any of our readers (hosts.json, phases plan, sweep config): it names file and line. */
function configLocation(err: unknown): { file: string; line: number } | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { file?: unknown; line?: unknown };
  return typeof e.file === 'string' && e.file && typeof e.line === 'number' ? { file: e.file, line: e.line } : undefined;
}

function fixesFor(err: unknown, canRetry: boolean): NoticeAction[] {
  const at = configLocation(err);
  if (at) return [{ title: 'Open File', kind: 'open', ...at }];
  if (err instanceof HostKeyChangedError) return [{ title: 'Open known_hosts', kind: 'open', file: err.knownHostsFile, line: err.line }];
  if (err instanceof HostKeyRejectedError) return canRetry ? [{ title: 'Retry', kind: 'retry', showBrowser: false }] : [];
  if (err instanceof AuthFailedError) return [{ title: 'Open Hosts Config', kind: 'command', command: commandIds.hostsOpenConfig }];
  if (isPodError(err, 'no-capacity')) return [{ title: 'Try Another GPU', kind: 'command', command: commandIds.podsCreate }];
  if (isPodError(err, 'unauthorized') || isPodError(err, 'no-api-key'))
    return [{ title: 'Set RunPod API Key', kind: 'command', command: commandIds.podsSetApiKey }];
  if (isColabError(err) && (err.code === 'sign-in-needed' || err.code === 'drive-not-authorised') && canRetry) {
    return [{ title: 'Show Browser and Retry', kind: 'retry', showBrowser: true }];
  }
  return [];
}

/**
 * The notice for `err` raised by the command `what` ("Create Pod"), or undefined when the user
 * cancelled (cancelling is not an error). `canRetry`: the caller can run the command again.
 */
export function errorNotice(err: unknown, what?: string, o: { canRetry?: boolean } = {}): ErrorNotice | undefined {
  if (isCancelled(err)) return undefined;
  const text = errorMessage(err);
  return {
    message: what ? `Airlock: ${what} failed — ${text}` : `Airlock: ${text}`,
    actions: [...fixesFor(err, !!o.canRetry), showLogAction],
  };
}
