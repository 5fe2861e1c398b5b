// node:test reporter that writes {"passed":N,"failed":N,"skipped":N,"failures":[...]} to its destination.
// Suites (describe) are not counted; only tests are. Tests inside a skipped suite are counted too:
// skippedSuites.mjs (preloaded by test/run.mjs) registers each of them as a skipped test.
// With CI=true a test skipped for a missing real component (reason starting with
// realComponentMarker: sshd, Jupyter, Chromium…) is a failure: CI installs every component.
export const realComponentMarker = 'missing real component';

export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const ci = process.env.CI === 'true';
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.details?.type === 'suite') {
      // A suite fails on its own only when a hook (before/after) failed: count that as a failure.
      if (event.type === 'test:fail' && d.details?.error?.failureType === 'hookFailed') {
        counts.failed++;
        counts.failures.push(`${d.file ?? ''} :: ${d.name} (hook)`);
      }
      continue;
    }
    if ((d.skip || d.todo) && ci && typeof d.skip === 'string' && d.skip.startsWith(realComponentMarker)) {
      counts.failed++;
      counts.failures.push(`${d.file ?? ''} :: ${d.name} (skipped on CI: ${d.skip})`);
    } else if (d.skip || d.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${d.file ?? ''} :: ${d.name}`);
    }
  }
  yield JSON.stringify(counts) + '\n';
}
