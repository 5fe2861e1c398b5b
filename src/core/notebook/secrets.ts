// Secret detection for values Airlock would write into a notebook (which is uploaded and shared).
// The rules are secretlint's maintained recommended preset (MIT, github.com/secretlint/secretlint:
// AWS, GCP service accounts, GitHub, GitLab, Slack, npm, OpenAI, Anthropic, Hugging Face, Stripe,
// private keys, database URLs, basic auth, …), with its AWS access-key-id scan switched on, plus
// secretlint's own `pattern` rule for the formats the preset does not cover (below). Loaded only
// when a render sets a parameter, so the editor does not pay for it at activation.

/** Formats the preset misses, each as secretlint's pattern rule takes them (`/regex/flags`). */
export const extraSecretPatterns: { name: string; patterns: string[] }[] = [
  // RunPod API keys (Airlock itself asks users for one).
  { name: 'RunPod API key', patterns: ['/\\brpa_[A-Za-z0-9]{30,}\\b/'] },
  // Google API keys (Maps, Gemini, Firebase): the preset's GCP rule only knows service-account JSON.
  { name: 'Google API key', patterns: ['/\\bAIza[0-9A-Za-z_-]{35}\\b/'] },
  // OpenAI's project keys (`sk-proj-…`) and keys without the legacy T3BlbkFJ marker.
  { name: 'OpenAI API key', patterns: ['/\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/'] },
  { name: 'Discord webhook', patterns: ['/discord(?:app)?\\.com\\/api\\/webhooks\\/\\d+\\/[\\w-]+/'] },
  // Any PEM private-key header, even when the body was cut (the preset wants 100+ characters of it).
  { name: 'Private key', patterns: ['/-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/'] },
];

export interface SecretFinding {
  /** e.g. `@secretlint/secretlint-rule-github` or `RunPod API key`. */
  rule: string;
  message: string;
}

/** The secrets found in `text` (empty when none); never echoes the secret itself. */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  if (!text) return [];
  const [{ lintSource }, preset, pattern] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/secretlint-rule-pattern'),
  ]);
  const r = await lintSource({
    source: { filePath: '/airlock-notebook-parameter', content: text, contentType: 'text' },
    options: {
      config: {
        rules: [
          { id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator, rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }] },
          { id: '@secretlint/secretlint-rule-pattern', rule: pattern.creator, options: { patterns: extraSecretPatterns } },
        ],
      },
    },
  });
  return r.messages.map((m) => ({
    rule: m.ruleId === '@secretlint/secretlint-rule-pattern' ? (extraSecretPatterns.find((p) => m.message.includes(p.name))?.name ?? m.ruleId) : m.ruleId,
    message: m.messageId,
  }));
}
