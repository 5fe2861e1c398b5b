// The secretlint side of secret detection (see secrets.ts), in its own module: the editor loads it
// from dist/node_modules/airlock-secrets on the first render, not at activation (the CLI, one file
// copied to workers, bundles it inline).
import { lintSource } from '@secretlint/core';
import { creator as presetCreator } from '@secretlint/secretlint-rule-preset-recommend';
import { creator as patternCreator } from '@secretlint/secretlint-rule-pattern';
import type { SecretFinding } from './secrets';

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

/** secretlint over `text`: its findings, named by rule, never echoing the secret. */
export async function lintSecrets(text: string): Promise<SecretFinding[]> {
  const r = await lintSource({
    source: { filePath: '/airlock-notebook-parameter', content: text, contentType: 'text' },
    options: {
      config: {
        rules: [
          {
            id: '@secretlint/secretlint-rule-preset-recommend',
            rule: presetCreator,
            rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
          },
          { id: '@secretlint/secretlint-rule-pattern', rule: patternCreator, options: { patterns: extraSecretPatterns } },
        ],
      },
    },
  });
  return r.messages.map((m) => ({
    rule: m.ruleId === '@secretlint/secretlint-rule-pattern' ? (extraSecretPatterns.find((p) => m.message.includes(p.name))?.name ?? m.ruleId) : m.ruleId,
    message: m.messageId,
  }));
}
