// Secret detection for values Airlock would write into a notebook (which is uploaded and shared).
// The rules are secretlint's maintained recommended preset (MIT, github.com/secretlint/secretlint:
// AWS, GCP service accounts, GitHub, GitLab, Slack, npm, OpenAI, Anthropic, Hugging Face, Stripe,
// private keys, database URLs, basic auth, …), with its AWS access-key-id scan switched on, plus
// secretlint's own `pattern` rule for the formats the preset does not cover (secretRules.ts). Loaded
// only when a render sets a parameter, so the editor does not pay for it at activation.

export interface SecretFinding {
  /** e.g. `@secretlint/secretlint-rule-github` or `RunPod API key`. */
  rule: string;
  message: string;
}

/** The secrets found in `text` (empty when none); never echoes the secret itself. */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  if (!text) return [];
  // The path is what the editor's build maps to the airlock-secrets run-time module (scripts/bundles.mjs).
  const { lintSecrets } = await import('./secretRules');
  return lintSecrets(text);
}
