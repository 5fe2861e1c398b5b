// Which credentials to offer: the ssh-agent first (SSH_AUTH_SOCK), then identity files in order.
// Encrypted keys are skipped with a note unless a passphrase provider unlocks them.
import { readFile } from 'node:fs/promises';
import type { AuthenticationType, AuthHandlerMiddleware } from 'ssh2';
import { loadSsh2 } from './loadSsh2';

/** Asks for the passphrase of an encrypted key (the editor shows an input box); undefined = skip the key. */
export type PassphraseProvider = (keyFile: string) => Promise<string | undefined>;

export interface LoadedIdentity {
  file: string;
  key: Buffer;
  passphrase?: string;
}

export interface Credentials {
  agent?: string;
  identities: LoadedIdentity[];
  /** What was skipped and why, for the auth-failure message (never key material). */
  notes: string[];
}

/**
 * Reads identity files. Missing default files are skipped silently; a missing explicit file, an
 * unreadable or encrypted one is noted so the auth error can say why it was not offered.
 */
export async function loadCredentials(
  files: string[],
  explicit: boolean,
  agentSocket: string | undefined,
  askPassphrase?: PassphraseProvider,
): Promise<Credentials> {
  const notes: string[] = [];
  const identities: LoadedIdentity[] = [];
  const { utils } = await loadSsh2();
  for (const file of files) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (err) {
      if (explicit) notes.push(`${file} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    const parsed = utils.parseKey(data);
    if (!(parsed instanceof Error)) {
      identities.push({ file, key: data });
      continue;
    }
    if (!/encrypted|passphrase/i.test(parsed.message)) {
      notes.push(`${file} is not a private key ssh2 can read (${parsed.message})`);
      continue;
    }
    const passphrase = askPassphrase ? await askPassphrase(file) : undefined;
    if (passphrase === undefined) {
      notes.push(`${file} is encrypted and no passphrase was given (load it with ssh-add)`);
      continue;
    }
    if (utils.parseKey(data, passphrase) instanceof Error) {
      notes.push(`the passphrase for ${file} was wrong`);
      continue;
    }
    identities.push({ file, key: data, passphrase });
  }
  if (!agentSocket) notes.push('no ssh-agent (SSH_AUTH_SOCK is not set)');
  return { agent: agentSocket, identities, notes };
}

/** ssh2 auth order: agent, then each key; ssh2 moves on to the next when the server rejects one. */
export function authMethods(user: string, creds: Credentials): AuthHandlerMiddleware | AuthenticationType[] {
  const methods: Array<Record<string, unknown>> = [];
  if (creds.agent) methods.push({ type: 'agent', username: user, agent: creds.agent });
  for (const id of creds.identities) methods.push({ type: 'publickey', username: user, key: id.key, passphrase: id.passphrase });
  // An empty list still needs one method, so the server's refusal arrives as an auth error.
  if (!methods.length) methods.push({ type: 'none', username: user });
  return methods as unknown as AuthenticationType[];
}
