// Will the new pod accept SSH? RunPod installs the account's registered public keys (`startSsh`
// injects them as PUBLIC_KEY; with none registered the pod has no SSH access at all), so tunnels,
// terminals, SSH commands and Colab-to-pod would fail long after the pod bills. Before a create:
// keys on the account → fine; none, but an identity is configured whose `.pub` exists → send that
// key as PUBLIC_KEY (the document: startSsh injects "unless the request already sets one"); neither
// → a warning that says what to do. The create goes on either way (Jupyter works without SSH).
import { readFile } from 'node:fs/promises';
import { isCancelled } from '../process/errors';
import type { PodProvider } from './provider';

export interface PodSshAccess {
  /** Where the pod's SSH key comes from; `unknown` when the account could not be read. */
  source: 'account' | 'identity' | 'spec' | 'none' | 'unknown';
  /** Extra pod environment (PUBLIC_KEY from the identity's `.pub`). */
  env: Record<string, string>;
  /** Set when the pod will have no SSH access: why, and what to do. */
  warning?: string;
}

const keyLine = /^(ssh-|ecdsa-|sk-)\S+ \S+/;

/** `<identity>.pub` when it holds a public key; undefined otherwise (missing, unreadable, not a key). */
export async function identityPublicKey(identityFile: string | undefined): Promise<string | undefined> {
  if (!identityFile) return undefined;
  try {
    const text = (await readFile(`${identityFile}.pub`, 'utf8')).trim();
    return text.split('\n').every((l) => keyLine.test(l.trim())) && text ? text : undefined;
  } catch {
    return undefined;
  }
}

export async function podSshAccess(
  provider: Pick<PodProvider, 'checkAccess'>,
  o: {
    specEnv?: Readonly<Record<string, string>>;
    identityFile?: string;
    /** How the user configures an identity here: `airlock.pods.sshIdentityFile` or `AIRLOCK_POD_SSH_IDENTITY`. */
    identitySetting: string;
    signal?: AbortSignal;
  },
): Promise<PodSshAccess> {
  if (o.specEnv?.PUBLIC_KEY) return { source: 'spec', env: {} };
  let keys: number | undefined;
  try {
    keys = provider.checkAccess ? (await provider.checkAccess(o.signal)).sshKeys : undefined;
  } catch (err) {
    if (isCancelled(err)) throw err;
    keys = undefined; // the create itself reports a bad key; this check only warns
  }
  if (keys === undefined) return { source: 'unknown', env: {} };
  if (keys > 0) return { source: 'account', env: {} };
  const pub = await identityPublicKey(o.identityFile);
  if (pub) return { source: 'identity', env: { PUBLIC_KEY: pub } };
  return {
    source: 'none',
    env: {},
    warning:
      'Your RunPod account has no SSH public key, so this pod will accept no SSH login: SSH tunnels, the pod terminal, ' +
      'Copy SSH Command and Colab-to-pod will not work (Jupyter through RunPod’s proxy still does). To fix it, add your ' +
      'public key (e.g. ~/.ssh/id_ed25519.pub) at runpod.io → Settings → SSH Public Keys and create the pod again, or set ' +
      `${o.identitySetting} to a private key whose .pub file sits beside it (Airlock then sends that key to the pod).`,
  };
}
