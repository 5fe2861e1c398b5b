/** How long the extension-host suite may take, in seconds (AIRLOCK_VSCODE_TIMEOUT_SEC, default 600). */
export function vscodeSuiteTimeoutSec(): number;
