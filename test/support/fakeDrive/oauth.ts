// Google's OAuth 2.0 endpoints as the fake Drive needs them: the token endpoint (service-account
// JWT bearer grant with a real RS256 signature check, authorization code with PKCE, refresh token)
// and the consent page (which consents at once, or denies, by switch). Errors use Google's
// `{error, error_description}` shapes so google-auth-library reports them as it would.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';

export const driveScope = 'https://www.googleapis.com/auth/drive';
const googleTokenAud = 'https://oauth2.googleapis.com/token';

interface Grant {
  status: number;
  body: Record<string, unknown>;
}

export class FakeOAuth {
  private readonly serviceAccounts = new Map<string, string>(); // email → public key PEM
  private readonly clients = new Map<string, string>(); // client id → secret
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; challenge?: string; scope: string }>();
  private readonly refreshTokens = new Map<string, string>(); // refresh token → client id
  readonly accessTokens = new Set<string>();
  /** Consent page answer: the user allows, or denies access. */
  consent: 'allow' | 'deny' = 'allow';

  constructor(private readonly tokenUrl: () => string) {}

  /** A service-account key file as Google issues it (token_uri points at this fake). */
  serviceAccountKey(email = 'airlock-test@airlock-fake.iam.gserviceaccount.com'): string {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.serviceAccounts.set(email, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    return JSON.stringify(
      {
        type: 'service_account',
        project_id: 'airlock-fake',
        private_key_id: randomBytes(20).toString('hex'),
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: '1234567890',
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: this.tokenUrl(),
      },
      null,
      2,
    );
  }

  /** An installed-app OAuth client (id + secret), as in a downloaded client_secret.json. */
  oauthClient(): { clientId: string; clientSecret: string } {
    const clientId = `${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
    const clientSecret = `GOCSPX-${randomBytes(12).toString('base64url')}`;
    this.clients.set(clientId, clientSecret);
    return { clientId, clientSecret };
  }

  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  private issue(extra: Record<string, unknown> = {}): Grant {
    const access = `ya29.fake-${randomBytes(16).toString('base64url')}`;
    this.accessTokens.add(access);
    return { status: 200, body: { access_token: access, expires_in: 3599, token_type: 'Bearer', ...extra } };
  }

  private bad(error: string, description: string, status = 400): Grant {
    return { status, body: { error, error_description: description } };
  }

  /** POST /token with a form body. */
  token(form: URLSearchParams): Grant {
    const grant = form.get('grant_type');
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.jwtGrant(form.get('assertion') ?? '');
    if (grant === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code) return this.bad('invalid_grant', 'Malformed auth code.');
      this.codes.delete(form.get('code')!);
      if (this.clients.get(form.get('client_id') ?? '') !== form.get('client_secret') || code.clientId !== form.get('client_id'))
        return this.bad('invalid_client', 'Unauthorized', 401);
      if (code.redirectUri !== form.get('redirect_uri')) return this.bad('redirect_uri_mismatch', 'Bad Request');
      if (
        code.challenge &&
        createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url') !== code.challenge
      )
        return this.bad('invalid_grant', 'Invalid code verifier.');
      const refresh = `1//fake-${randomBytes(16).toString('base64url')}`;
      this.refreshTokens.set(refresh, code.clientId);
      return this.issue({ refresh_token: refresh, scope: code.scope });
    }
    if (grant === 'refresh_token') {
      const client = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!client || client !== form.get('client_id') || this.clients.get(client) !== form.get('client_secret'))
        return this.bad('invalid_grant', 'Token has been expired or revoked.');
      return this.issue({ scope: driveScope });
    }
    return this.bad('unsupported_grant_type', `Invalid grant_type: ${grant}`);
  }

  private jwtGrant(assertion: string): Grant {
    const [h, p, s] = assertion.split('.');
    if (!h || !p || !s) return this.bad('invalid_grant', 'Invalid JWT.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss?: string; scope?: string; aud?: string; exp?: number; iat?: number };
    const pem = this.serviceAccounts.get(claims.iss ?? '');
    if (!pem) return this.bad('invalid_grant', 'Invalid grant: account not found');
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey(pem), Buffer.from(s, 'base64url')))
      return this.bad('invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== googleTokenAud) return this.bad('invalid_grant', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.');
    if (!claims.exp || claims.exp * 1000 < Date.now())
      return this.bad('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    if (!claims.scope?.split(' ').some((x) => x.startsWith(driveScope))) return this.bad('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    return this.issue();
  }

  /** GET /o/oauth2/v2/auth: the consent page; answers with the redirect to the app's loopback listener. */
  authorize(q: URLSearchParams): { status: number; location?: string; body?: string } {
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!this.clients.has(clientId)) return { status: 401, body: 'Error 401: invalid_client — The OAuth client was not found.' };
    if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(redirectUri))
      return { status: 400, body: 'Error 400: invalid_request — loopback redirect required' };
    const to = new URL(redirectUri);
    if (q.get('state')) to.searchParams.set('state', q.get('state')!);
    if (this.consent === 'deny') {
      to.searchParams.set('error', 'access_denied');
      return { status: 302, location: to.href };
    }
    const code = `4/fake-${randomBytes(12).toString('base64url')}`;
    this.codes.set(code, { clientId, redirectUri, scope: q.get('scope') ?? '', ...(q.get('code_challenge') ? { challenge: q.get('code_challenge')! } : {}) });
    to.searchParams.set('code', code);
    to.searchParams.set('scope', q.get('scope') ?? '');
    return { status: 302, location: to.href };
  }
}
