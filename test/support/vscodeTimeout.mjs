// How long the extension-host suite may take, in seconds: AIRLOCK_VSCODE_TIMEOUT_SEC, default 600.
// One definition for the driver (runVscodeTests.ts bounds the suite) and for test/run.mjs (which
// bounds the driver a little later, to catch one stuck in cleanup).
export function vscodeSuiteTimeoutSec() {
  const raw = process.env.AIRLOCK_VSCODE_TIMEOUT_SEC;
  const sec = raw === undefined || raw === '' ? 600 : Number(raw);
  if (!Number.isFinite(sec) || sec <= 0) throw new Error(`AIRLOCK_VSCODE_TIMEOUT_SEC must be a positive number of seconds, not ${JSON.stringify(raw)}`);
  return sec;
}
