// Google Drive credentials for Colab dispatch, kept only in VS Code's SecretStorage: a service
// account's JSON key (read from a file the user picks; the file itself is left where it is), or an
// OAuth sign-in (installed-app flow with a loopback redirect) whose refresh token is stored.
import * as vscode from 'vscode';
import { contextKeys } from '../../ids';
import { parseOAuthClientFile, parseServiceAccountKey, type DriveCredentials } from '../../core/colab/driveKeys';
import { loadColab } from '../../core/colab/loadColab';
import { withCancellableProgress } from '../progress';

const serviceAccountKey = 'airlock.google.serviceAccountKey';
const oauthKey = 'airlock.google.oauth';

/** Endpoint overrides for tests and the demo's fake Google (never needed against Google itself). */
export const googleEndpoints = () => ({
  ...(process.env.AIRLOCK_GOOGLE_TOKEN_URL ? { tokenUrl: process.env.AIRLOCK_GOOGLE_TOKEN_URL } : {}),
  ...(process.env.AIRLOCK_GOOGLE_AUTH_URL ? { authUrl: process.env.AIRLOCK_GOOGLE_AUTH_URL } : {}),
});

export class DriveCredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The stored credentials: a service-account key wins over a sign-in. */
  async get(): Promise<DriveCredentials | undefined> {
    const keyJson = await this.secrets.get(serviceAccountKey);
    if (keyJson) return { kind: 'service-account', keyJson };
    const oauth = await this.secrets.get(oauthKey);
    if (!oauth) return undefined;
    const o = JSON.parse(oauth) as { clientId: string; clientSecret: string; refreshToken: string };
    return { kind: 'oauth', ...o };
  }

  /** What the user sees in messages: the service account's e-mail, or "your Google sign-in". */
  async describe(): Promise<string | undefined> {
    const c = await this.get();
    if (!c) return undefined;
    return c.kind === 'service-account' ? `the service account ${parseServiceAccountKey(c.keyJson).client_email}` : 'your Google sign-in';
  }

  /** Stores the key from `file` (picked when not given). Returns the account's e-mail. */
  async setServiceAccountKey(file?: vscode.Uri): Promise<string | undefined> {
    const uri =
      file ??
      (
        await vscode.window.showOpenDialog({ title: 'Service-account JSON key for Google Drive', filters: { 'JSON key': ['json'] }, canSelectMany: false })
      )?.[0];
    if (!uri) return undefined;
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    // The message names the file and what is wrong, never the key's content.
    let email: string;
    try {
      email = parseServiceAccountKey(text).client_email;
    } catch (err) {
      throw new Error(`${uri.fsPath}: ${(err as Error).message}`);
    }
    await this.secrets.store(serviceAccountKey, text);
    await this.refreshContext();
    void vscode.window.showInformationMessage(
      `Airlock: Colab runs will use ${email} for Google Drive (kept in secret storage; you may delete the key file). Share the Drive folder for runs with that address, and set airlock.colab.driveRootId to its id.`,
    );
    return email;
  }

  /** The OAuth installed-app flow in the user's browser; stores the refresh token. */
  async signIn(clientFile?: vscode.Uri): Promise<boolean> {
    const uri =
      clientFile ??
      (
        await vscode.window.showOpenDialog({
          title: 'OAuth client file (Google Cloud Console → Credentials → OAuth client ID → Desktop app → Download JSON)',
          filters: { JSON: ['json'] },
          canSelectMany: false,
        })
      )?.[0];
    if (!uri) return false;
    let client: { clientId: string; clientSecret: string };
    try {
      client = parseOAuthClientFile(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
    } catch (err) {
      throw new Error(`${uri.fsPath}: ${(err as Error).message}`);
    }
    const { signInWithLoopback } = await loadColab();
    const tokens = await withCancellableProgress('Airlock: waiting for the Google sign-in in your browser…', (signal) =>
      signInWithLoopback({ ...client, ...googleEndpoints(), signal, openUrl: async (url) => void (await vscode.env.openExternal(vscode.Uri.parse(url))) }),
    );
    await this.secrets.store(oauthKey, JSON.stringify({ ...client, refreshToken: tokens.refreshToken }));
    await this.refreshContext();
    void vscode.window.showInformationMessage('Airlock: signed in to Google Drive; Colab runs will use your Drive.');
    return true;
  }

  async signOut(): Promise<void> {
    const had = await this.get();
    await this.secrets.delete(serviceAccountKey);
    await this.secrets.delete(oauthKey);
    await this.refreshContext();
    void vscode.window.showInformationMessage(
      had ? 'Airlock: Google Drive credentials removed from secret storage.' : 'Airlock: no Google Drive credentials were stored.',
    );
  }

  /** Stored credentials, or asks how to get some (undefined when the user walks away). */
  async getOrAsk(): Promise<DriveCredentials | undefined> {
    const have = await this.get();
    if (have) return have;
    const pick = await vscode.window.showQuickPick(
      [
        {
          label: '$(key) Use a service-account key file…',
          detail: 'A JSON key from Google Cloud (IAM → Service accounts → Keys). Share a Drive folder with the account.',
          how: 'key' as const,
        },
        {
          label: '$(sign-in) Sign in with Google…',
          detail: 'Your own Drive, through an OAuth client file (Desktop app) from Google Cloud Console.',
          how: 'oauth' as const,
        },
      ],
      { title: 'Colab runs go through Google Drive — how should Airlock reach it?', ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    if (pick.how === 'key') await this.setServiceAccountKey();
    else await this.signIn();
    return this.get();
  }

  async refreshContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', contextKeys.driveCredentials, !!(await this.get()));
  }
}
