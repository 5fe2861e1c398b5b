import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandIds, viewIds, settingIds, viewContainerId } from '../../src/ids';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const sorted = (xs: Iterable<string>) => [...xs].sort();

test('package.json declares exactly the commands in ids.ts', () => {
  assert.deepEqual(sorted(pkg.contributes.commands.map((c: { command: string }) => c.command)), sorted(Object.values(commandIds)));
});

test('package.json declares exactly the views in ids.ts, in the Airlock container', () => {
  const views = pkg.contributes.views[viewContainerId].map((v: { id: string }) => v.id);
  assert.deepEqual(sorted(views), sorted(Object.values(viewIds)));
  assert.ok(pkg.contributes.viewsContainers.activitybar.some((c: { id: string }) => c.id === viewContainerId));
});

test('package.json declares exactly the settings in ids.ts', () => {
  const declared = Object.keys(pkg.contributes.configuration.properties).map((k) => k.replace(/^airlock\./, ''));
  assert.deepEqual(sorted(declared), sorted(Object.values(settingIds)));
});

test('every menu entry names a declared command', () => {
  const declared = new Set(Object.values(commandIds) as string[]);
  for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
    for (const e of entries) assert.ok(declared.has(e.command), `${menu} names unknown command ${e.command}`);
  }
});

test('every command table handler exists for each command id (registry ↔ ids)', () => {
  // The registry throws at activation for a missing handler; here we check the source table statically.
  const src = readFileSync('src/features/commands.ts', 'utf8');
  for (const [key] of Object.entries(commandIds)) assert.match(src, new RegExp(`commandIds\\.${key}\\]`), `no handler for ${key}`);
});

test('activation stays lazy (no "*" activation event)', () => {
  assert.ok(!(pkg.activationEvents ?? []).includes('*'));
});

test('every command has its own palette title (two "Airlock: Copy SSH Command" cannot be told apart)', () => {
  const byTitle = new Map<string, string[]>();
  for (const c of pkg.contributes.commands as { command: string; title: string; category?: string }[]) {
    const shown = `${c.category ?? ''}: ${c.title}`;
    byTitle.set(shown, [...(byTitle.get(shown) ?? []), c.command]);
  }
  assert.deepEqual(
    [...byTitle].filter(([, ids]) => ids.length > 1),
    [],
  );
});
