import * as vscode from 'vscode';
import type { HostKeyPolicy, UnknownHostKey } from '../../core/ssh/hostKeyPolicy';
import type { PassphraseProvider } from '../../core/ssh/sshAuth';

/**
 * Asks the user before trusting a host key seen for the first time, showing its fingerprint
 * (compare it with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the server).
 * Concurrent probes of one host share a single question.
 */
export function editorHostKeyPolicy(log: vscode.LogOutputChannel): HostKeyPolicy {
  const asking = new Map<string, Promise<boolean>>();
  return {
    confirmUnknownHost(key: UnknownHostKey): Promise<boolean> {
      const id = `${key.pattern} ${key.keyType} ${key.fingerprint}`;
      let answer = asking.get(id);
      if (!answer) {
        answer = Promise.resolve(
          vscode.window.showWarningMessage(
            `The authenticity of host "${key.pattern}" can't be established.`,
            {
              modal: true,
              detail: `${key.keyType} key fingerprint is ${key.fingerprint}.\n\nTrust it only if it matches the server's key. Airlock will add it to known_hosts and refuse the host if the key ever changes.`,
            },
            'Trust and Connect',
          ),
        ).then((choice) => {
          asking.delete(id);
          const trusted = choice === 'Trust and Connect';
          log.info(`host key ${key.fingerprint} for ${key.pattern}: ${trusted ? 'trusted by user' : 'refused'}`);
          return trusted;
        });
        asking.set(id, answer);
      }
      return answer;
    },
  };
}

/** Asks for an encrypted key's passphrase; it is used for that connection only and never stored. */
export const editorPassphrasePrompt: PassphraseProvider = (keyFile) =>
  Promise.resolve(
    vscode.window.showInputBox({
      title: `Passphrase for ${keyFile}`,
      password: true,
      ignoreFocusOut: true,
      prompt: 'Not stored. Load the key with ssh-add to avoid this prompt.',
    }),
  );
