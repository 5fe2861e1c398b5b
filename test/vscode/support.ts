// Shared by the extension-host suites: the running extension's API, and polling for a condition.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AirlockApi } from '../../src/extension';

export async function api(): Promise<AirlockApi> {
  const ext = vscode.extensions.getExtension<AirlockApi>('airlock-dev.airlock');
  assert.ok(ext, 'extension not loaded');
  return ext.activate();
}

/** Polls `check` until it holds; the error names what never happened. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
