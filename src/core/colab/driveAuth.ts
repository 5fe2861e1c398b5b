// Credentials for Google Drive: a service-account JSON key (JWT bearer grant) or a user's OAuth
// sign-in through a loopback redirect (installed-app flow with PKCE). google-auth-library loads
// lazily: the extension bundle stays lean until a Colab command runs. The caller keeps the secrets
// (SecretStorage in the editor, a 0600 file or env for the CLI); nothing here writes them anywhere.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AuthClient, OAuth2Client } from 'google-auth-library';
import { CancelledError } from '../process/errors';
import { DriveAuthError, parseServiceAccountKey, type DriveCredentials } from './driveKeys';

/** Full Drive scope: Airlock must read the status file and results the notebook writes, which
 *  `drive.file` (only files this app created) would hide. */
const driveScopes = ['https://www.googleapis.com/auth/drive'];
const googleTokenUrl = 'https://oauth2.googleapis.com/token';

export interface GoogleEndpoints {
  /** Token endpoint (tests: a fake). A service-account key's own `token_uri` is used otherwise. */
  tokenUrl?: string;
  /** Consent page for the OAuth sign-in. */
  authUrl?: string;
}

export { DriveAuthError, parseOAuthClientFile, parseServiceAccountKey, type DriveCredentials, type ServiceAccountKey } from './driveKeys';

/** google-auth-library's JWT client always posts to Google's token URL; point it elsewhere (a fake, a proxy). */
function redirectTokenRequests(client: AuthClient, tokenUrl: string): void {
  if (tokenUrl === googleTokenUrl) return;
  client.transporter.interceptors.request.add({
    resolved: async (opts) => {
      if (opts.url.href === googleTokenUrl) opts.url = new URL(tokenUrl);
      return opts;
    },
  });
}

/** An authorised client for the Drive API. Tokens are fetched on first use (errors surface there);
 *  a 401 gets one fresh token before it counts (an access token can be revoked before it expires). */
export async function driveAuthClient(c: DriveCredentials, e: GoogleEndpoints = {}): Promise<OAuth2Client> {
  const { JWT, OAuth2Client } = await import('google-auth-library');
  if (c.kind === 'service-account') {
    const key = parseServiceAccountKey(c.keyJson);
    const client = new JWT({
      email: key.client_email,
      key: key.private_key,
      scopes: driveScopes,
      forceRefreshOnFailure: true,
      ...(c.subject ? { subject: c.subject } : {}),
    });
    redirectTokenRequests(client, e.tokenUrl ?? key.token_uri ?? googleTokenUrl);
    return client;
  }
  const client = new OAuth2Client({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    forceRefreshOnFailure: true,
    endpoints: { ...(e.tokenUrl ? { oauth2TokenUrl: e.tokenUrl } : {}) },
  });
  client.setCredentials({ refresh_token: c.refreshToken });
  return client;
}

export interface LoopbackSignInOptions extends GoogleEndpoints {
  clientId: string;
  clientSecret: string;
  /** Shows the consent page to the user (opens a browser; the CLI prints the URL too). */
  openUrl(url: string): void | Promise<void>;
  signal?: AbortSignal;
  /** How long the user has to finish signing in (default 5 minutes). */
  timeoutMs?: number;
}

function waitForRedirect(server: Server, state: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.on('request', (req, res) => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (u.searchParams.get('state') !== state) {
        res.writeHead(400).end('Unexpected request.');
        return;
      }
      const err = u.searchParams.get('error');
      const code = u.searchParams.get('code');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>Airlock</title><p>${err ? 'Sign-in was cancelled. You can close this tab.' : 'Airlock can now use your Google Drive. You can close this tab.'}</p>`,
      );
      if (err) reject(new DriveAuthError(`Google sign-in did not grant access (${err}) — run the sign-in again and allow Drive access`));
      else if (code) resolve(code);
      else reject(new DriveAuthError('Google redirected back without an authorization code'));
    });
  });
}

/** The installed-app flow: consent page → redirect to a one-shot listener on 127.0.0.1 → tokens. */
export async function signInWithLoopback(o: LoopbackSignInOptions): Promise<{ refreshToken: string; accessToken: string }> {
  const { OAuth2Client, CodeChallengeMethod } = await import('google-auth-library');
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const timers: NodeJS.Timeout[] = [];
  let onAbort: (() => void) | undefined;
  try {
    const redirectUri = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const client = new OAuth2Client({
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      redirectUri,
      endpoints: { ...(o.tokenUrl ? { oauth2TokenUrl: o.tokenUrl } : {}), ...(o.authUrl ? { oauth2AuthBaseUrl: o.authUrl } : {}) },
    });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const state = randomBytes(16).toString('hex');
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: driveScopes,
      state,
      code_challenge: codeChallenge!,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const code = Promise.race([
      waitForRedirect(server, state),
      new Promise<never>((_, reject) =>
        timers.push(
          setTimeout(
            () => reject(new DriveAuthError(`Google sign-in was not finished within ${Math.round((o.timeoutMs ?? 300_000) / 1000)} s`)),
            o.timeoutMs ?? 300_000,
          ),
        ),
      ),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new CancelledError());
        if (o.signal?.aborted) onAbort();
        o.signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    await o.openUrl(url);
    const { tokens } = await client.getToken({ code: await code, codeVerifier }).catch((err: Error) => {
      throw new DriveAuthError(`Google refused the sign-in code (${err.message})`);
    });
    if (!tokens.refresh_token || !tokens.access_token)
      throw new DriveAuthError("Google returned no refresh token — remove Airlock from your account's third-party access and sign in again");
    return { refreshToken: tokens.refresh_token, accessToken: tokens.access_token };
  } finally {
    for (const t of timers) clearTimeout(t);
    if (onAbort) o.signal?.removeEventListener('abort', onAbort);
    server.closeAllConnections();
    server.close();
  }
}
