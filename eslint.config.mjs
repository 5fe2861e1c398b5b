// Flat config. The one rule that matters most: src/core/** and src/cli/** never import `vscode`,
// so everything there runs in plain Node (the CLI on GPU workers, the unit tests).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'src/core, src/cli and src/shared must run without VS Code (use `import type` at most).', allowTypeImports: true };
const lazyColab = {
  regex:
    '(^|/)colab/(dispatch|driveAuth|driveClient|results|colabPage|monitor|resumableUpload|playwrightLoader|colabBundle)$|^@googleapis/|^google-auth-library$|^playwright-core$',
  message: 'Heavy Colab code loads lazily: use loadColab() (import type is fine).',
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/shared/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    // The Google clients and the browser driver stay out of the extension's activation and out of
    // the single-file CLI: outside src/core/colab they are reached through loadColab() only.
    files: ['src/extension.ts', 'src/features/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [lazyColab] }] },
  },
  {
    files: ['src/cli/**/*.ts', 'src/core/!(colab)/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode], patterns: [lazyColab] }] },
  },
  {
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
