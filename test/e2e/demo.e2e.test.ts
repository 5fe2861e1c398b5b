// The README's "run it" command, exercised end to end: scripts/demo.sh --check sets up, builds,
// packages, installs the .vsix, starts code-server and checks headlessly that Airlock shows up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resultsDir } from '../support/browser';
import { repoRoot } from '../support/codeServer';

function runDemoCheck(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Its own process group, so a hung demo is killed with everything it started.
    const child = spawn('bash', ['scripts/demo.sh', '--check'], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const kill = setTimeout(() => {
      output += '\n[test] demo.sh --check did not finish within 5 minutes; killed\n';
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, 300_000);
    child.once('close', (code) => {
      clearTimeout(kill);
      resolve({ code, output });
    });
  });
}

test('bash scripts/demo.sh --check starts VS Code with Airlock and exits 0', { timeout: 330_000 }, async () => {
  const shot = join(resultsDir, 'demo-check.png');
  rmSync(shot, { force: true });
  const { code, output } = await runDemoCheck();
  assert.equal(code, 0, `demo.sh --check exited ${code}:\n${output}`);
  assert.match(output, /workbench shows Airlock \(Phases, Hosts, Pods\)/);
  // Pods run against the fake RunPod, labelled as such on screen.
  assert.match(output, /the Pods view is labelled "demo endpoint"/);
  // Every step says what it does before it runs, and how long it took; npm's warnings are not shown.
  for (const step of ['1/5 checking the Debian packages', '3/5 building and packaging', '4/5 installing code-server', '5/5 starting VS Code'])
    assert.ok(output.includes(`[demo] ${step}`), `demo.sh announces "${step}":\n${output}`);
  assert.match(output, /\[demo\] 3\/5 done in \d+ s/);
  assert.doesNotMatch(output, /^npm warn/im);
  assert.ok(existsSync(shot), 'no screenshot at test-results/demo-check.png');
});
