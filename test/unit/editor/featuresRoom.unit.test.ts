// The room test: src/features is the VS Code layer. A file there that does not import `vscode` is
// logic that runs without an editor — it belongs in src/core (or, for the typed messages shared
// with the webviews, in src/shared), where it is unit-tested and the CLI can use it. The one
// exception is features/<f>/commands/*.ts: each is the body of a registered command and works on
// its feature's objects (which hold the VS Code state), even when it needs no `vscode` name itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const importsVscode = (src: string) => /^import\s+(type\s+)?(\*\s+as\s+\w+|\{[^}]*\})\s+from\s+'vscode';/m.test(src);

test('every file in src/features imports vscode (else it is core logic in the wrong room)', () => {
  const strays = walk('src/features')
    .filter((f) => !/\/commands\/[^/]+\.ts$/.test(f))
    .filter((f) => !importsVscode(readFileSync(f, 'utf8')));
  assert.deepEqual(strays, [], 'move these to src/core (or src/shared for webview protocols)');
});

test('src/shared holds only what the extension and the webviews both compile: no vscode, no Node', () => {
  for (const f of walk('src/shared')) {
    const src = readFileSync(f, 'utf8');
    assert.ok(!importsVscode(src), `${f} imports vscode`);
    assert.doesNotMatch(src, /from 'node:/, `${f} imports a Node module`);
  }
});
