// Every Colab form snippet, with its placeholders filled by their defaults, is a form line that
// render understands with the type the snippet promises, and renders with a new value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findFormParams, rewriteFormLine } from '../../../src/core/notebook/colabForm';

const snippets = JSON.parse(readFileSync('snippets/notebook.code-snippets', 'utf8')) as Record<string, { prefix: string; body: string[] }>;
const fill = (line: string) =>
  line
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');

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
