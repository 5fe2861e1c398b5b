#!/usr/bin/env node
// Runs test tiers and prints a closing line `N passed, N failed, N skipped`.
//   node test/run.mjs [unit] [integration] [vscode] [e2e] [--grep PATTERN] [files...]
// unit / integration / e2e: node's test runner (TypeScript through tsx), files *.<tier>.test.ts.
// vscode: test/support/runVscodeTests.ts runs test/vscode inside code-server's extension host.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, existsSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { vscodeSuiteTimeoutSec } from './support/vscodeTimeout.mjs';

const allTiers = ['unit', 'integration', 'vscode', 'e2e'];
const args = process.argv.slice(2);
const tiers = args.filter((a) => allTiers.includes(a));
const files = args.filter((a) => a.endsWith('.ts'));
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
// A *.vscode.test.ts file cannot run under node's runner: it goes to the vscode tier, filtered.
const vscodeFiles = files.filter((f) => f.endsWith('.vscode.test.ts'));
const nodeFiles = files.filter((f) => !f.endsWith('.vscode.test.ts'));
const selected = tiers.length ? tiers : files.length ? (vscodeFiles.length ? ['vscode'] : []) : allTiers;

function find(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? find(p, suffix) : p.endsWith(suffix) ? [p] : [];
  });
}

// Commands run in login shells (`bash -lc`, as users' PATHs need). Where the profile runs
// `pyenv init`, a shell the tests kill mid-rehash leaves pyenv's lock behind and every later login
// shell waits for it — 60 s by default. One second is plenty on a test machine.
process.env.PYENV_REHASH_TIMEOUT ??= '1';
// Even then pyenv prints "cannot rehash" on stderr while a dead shell's lock is there, which breaks
// tests that compare a command's stderr. A rehash holds the lock for milliseconds: one older than
// 10 s belongs to a killed shell, and a sweeper in its own process (the tiers run synchronously)
// removes it while the tests run.
const pyenvLock = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/root', '.pyenv'), 'shims', '.pyenv-shim');
const lockSweeper = spawn(
  process.execPath,
  [
    '-e',
    `
  const fs = require('node:fs');
  const sweep = () => { try { if (Date.now() - fs.statSync(${JSON.stringify(pyenvLock)}).mtimeMs > 10000) fs.rmSync(${JSON.stringify(pyenvLock)}); } catch {} };
  sweep(); setInterval(sweep, 2000);
  process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`,
  ],
  { stdio: ['pipe', 'ignore', 'ignore'] },
);
lockSweeper.unref();

const total = { passed: 0, failed: 0, skipped: 0, failures: [] };
function add(tier, r) {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped ?? 0;
  total.failures.push(...(r.failures ?? []).map((f) => `[${tier}] ${f}`));
  // Durations are reported for the CI budget (20 min on 2 cores), never asserted.
  const secs = ((performance.now() - tierStart) / 1000).toFixed(1);
  console.log(`\n== ${tier}: ${r.passed} passed, ${r.failed} failed, ${r.skipped ?? 0} skipped (${secs} s)\n`);
}

function nodeTests(tier, list) {
  if (!list.length) return add(tier, { passed: 0, failed: 0, skipped: 0 });
  mkdirSync('.test-tmp', { recursive: true });
  // Per run: two runs in one checkout must not read each other's counts.
  const out = `.test-tmp/${tier}-counts-${process.pid}.json`;
  rmSync(out, { force: true }); // never read a previous run's counts
  const concurrency = tier === 'unit' ? '2' : '1';
  const r = spawnSync(
    process.execPath,
    [
      // skippedSuites.mjs: tests inside a skipped suite are still listed (and counted) as skipped.
      '--import',
      'tsx',
      '--import',
      './test/support/skippedSuites.mjs',
      '--test',
      `--test-concurrency=${concurrency}`,
      ...(grep ? ['--test-name-pattern', grep] : []),
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./test/support/countReporter.mjs',
      `--test-reporter-destination=${out}`,
      ...list,
    ],
    { stdio: 'inherit', env: { ...process.env, AIRLOCK_TEST_TIER: tier } },
  );
  let counts = { passed: 0, failed: 1, skipped: 0, failures: [`${tier} runner exited ${r.status} without counts`] };
  try {
    counts = JSON.parse(readFileSync(out, 'utf8'));
    // A runner that died after counting (a crashed file) is still a failure.
    if (r.status !== 0 && counts.failed === 0) counts = { ...counts, failed: 1, failures: [`${tier} runner exited ${r.status}`] };
  } catch {
    /* keep the failure above */
  }
  rmSync(out, { force: true });
  add(tier, counts);
}

let tierStart = performance.now();
for (const tier of selected) {
  tierStart = performance.now();
  if (tier === 'vscode') {
    mkdirSync('.test-tmp', { recursive: true });
    const out = `.test-tmp/vscode-counts-${process.pid}.json`;
    const env = {
      ...process.env,
      ...(grep ? { AIRLOCK_VSCODE_GREP: grep } : {}),
      ...(vscodeFiles.length ? { AIRLOCK_VSCODE_FILES: vscodeFiles.join(',') } : {}),
    };
    // The driver bounds the suite itself; this outer bound only catches a driver stuck in cleanup
    // (SIGTERM lets it still kill code-server's group).
    const timeout = (vscodeSuiteTimeoutSec() + 120) * 1000;
    rmSync(out, { force: true });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/runVscodeTests.ts', out], {
      stdio: 'inherit',
      env,
      timeout,
      killSignal: 'SIGTERM',
    });
    let counts = { passed: 0, failed: 1, failures: [`vscode runner exited ${r.status} without counts`] };
    try {
      counts = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      /* keep failure */
    }
    rmSync(out, { force: true });
    if (r.status !== 0 && counts.failed === 0) counts = { ...counts, failed: 1, failures: [`vscode runner exited ${r.status}`] };
    add(tier, counts);
  } else {
    nodeTests(tier, find(join('test', tier), `.${tier}.test.ts`));
  }
}
tierStart = performance.now();
if (nodeFiles.length) nodeTests('files', nodeFiles);

if (total.failures.length) console.log('Failures:\n' + total.failures.map((f) => `  - ${f}`).join('\n'));
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed ? 1 : 0;
lockSweeper.stdin.end();
