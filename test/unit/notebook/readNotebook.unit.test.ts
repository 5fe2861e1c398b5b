// Malformed notebooks are bad input with file, line and field — never an internal TypeError.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkNotebook } from '../../../src/core/notebook/readNotebook';
import { renderNotebook } from '../../../src/core/notebook/render';

const F = 'tpl.ipynb';
const nb = (cells: string) => `{\n "cells": [\n${cells}\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;

describe('checkNotebook', () => {
  const cases: [string, string, RegExp][] = [
    ['"source": 5', nb('  {"cell_type": "code",\n   "source": 5}'), /^tpl\.ipynb:4: cells\[0\]\.source must be a string or a list of strings$/],
    ['"cells": [null]', nb('  null'), /^tpl\.ipynb:3: cells\[0\] must be an object/],
    ['source list with a number', nb('  {"cell_type": "code", "source": ["a", 1]}'), /^tpl\.ipynb:3: cells\[0\]\.source must be/],
    [
      'tags not a list',
      nb('  {"cell_type": "code", "source": "", "metadata": {"tags": "parameters"}}'),
      /cells\[0\]\.metadata\.tags must be a list of strings/,
    ],
    ['no cells', '{"metadata": {}}', /^tpl\.ipynb:1: cells is missing/],
    [
      'deep',
      `{"cells": [], "metadata": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
      /^tpl\.ipynb:1: is not a notebook \(is nested more than \d+ levels deep\)$/,
    ],
    ['syntax', '{"cells": [', /^tpl\.ipynb:1: is not a notebook \(JSON syntax error/],
  ];
  for (const [name, text, re] of cases) {
    test(`${name} → ConfigError naming file, line and field`, async () => {
      assert.throws(
        () => checkNotebook(text, F),
        (e: Error) => e.name === 'ConfigError' && re.test(e.message),
      );
      // The renderer goes through the same check instead of failing with a TypeError.
      await assert.rejects(renderNotebook(text, F, { set: {} }), (e: Error) => e.name === 'ConfigError' && re.test(e.message));
    });
  }
  test('a valid notebook passes and is returned parsed', () => {
    const v = checkNotebook(nb('  {"cell_type": "code", "source": ["x = 1\\n"], "metadata": {"tags": ["parameters"]}, "outputs": []}'), F);
    assert.equal((v.cells as unknown[]).length, 1);
  });
});
