// Every Colab form snippet, with its placeholders filled by their defaults, is a form line that
// render understands with the type the snippet promises, and renders with a new value.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findFormParams, rewriteFormLine } from '../../../src/core/notebook/colabForm';
import { fillPlaceholders as fill, readSnippets } from '../../support/snippets';

const snippets = readSnippets('notebook.code-snippets');

test('form snippets are form lines of the promised type, and render', () => {
  const expect: Record<string, [string, string]> = {
    '@param-string': ['string', 'x y'],
    '@param-integer': ['integer', '7'],
    '@param-number': ['number', '0.5'],
    '@param-boolean': ['boolean', 'false'],
    '@param-slider': ['slider', '4'],
    '@param-dropdown': ['dropdown', 'dolly'],
    '@param-raw': ['raw', '["--fp16"]'],
    '@param-date': ['date', '2025-02-02'],
  };
  for (const s of Object.values(snippets).filter((x) => x.prefix.startsWith('@param-'))) {
    const line = fill(s.body[0]!);
    const [p] = findFormParams([line], 0);
    assert.ok(p, `${s.prefix}: ${line} is not a form line`);
    const [type, value] = expect[s.prefix]!;
    assert.equal(p.type, type, s.prefix);
    assert.match(rewriteFormLine(line, p, value), /#@param/);
  }
  const form = snippets['Colab form cell']!.body.map(fill);
  assert.deepEqual(
    findFormParams(form, 0).map((p) => p.type),
    ['string', 'integer', 'number', 'boolean'],
  );
});

test('every snippet file is contributed to VS Code (the notebook ones for Python cells)', () => {
  const contributed = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { snippets: { language: string; path: string }[] } }).contributes
    .snippets;
  for (const f of readdirSync('snippets').filter((n) => n.endsWith('.code-snippets')))
    assert.ok(
      contributed.some((c) => c.path === `./snippets/${f}`),
      `snippets/${f} is not in package.json contributes.snippets: VS Code never offers it`,
    );
  assert.ok(contributed.some((c) => c.path === './snippets/notebook.code-snippets' && c.language === 'python'));
});

test('the notebook cell snippets are valid Python as inserted', { skip: spawnSync('python3', ['--version']).error ? 'no python3' : undefined }, () => {
  for (const s of Object.values(snippets).filter((x) => !x.prefix.startsWith('@param-'))) {
    const code = s.body.map(fill).join('\n');
    const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code, encoding: 'utf8' });
    assert.equal(r.status, 0, `${s.prefix}: ${r.stderr}`);
  }
});
