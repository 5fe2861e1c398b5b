#!/usr/bin/env bash
# The one command that sets up and runs every test:  bash scripts/test.sh
# Installs missing Debian packages and npm dependencies, builds, type-checks, lints, packages the
# .vsix, installs code-server 4.100.3 offline, then runs the unit, integration, vscode and e2e tiers.
# Ends with a line `N passed, N failed, N skipped` (static checks count as one test each; with CI=true a
# test skipped for a missing real component counts as failed).
set -uo pipefail
cd "$(dirname "$0")/.."
# Durations are printed for the CI budget (well under 20 minutes on 2 cores), never asserted.
t=$SECONDS
bash scripts/setup-system.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
echo "== setup-system ($((SECONDS - t)) s)"; t=$SECONDS
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
echo "== npm dependencies ($((SECONDS - t)) s)"; t=$SECONDS
bash scripts/setup-code-server.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
echo "== code-server ($((SECONDS - t)) s)"

pre_pass=0; pre_fail=0
step() {
  local name="$1"; shift
  local t=$SECONDS
  echo "== $name"
  if "$@"; then pre_pass=$((pre_pass + 1)); else pre_fail=$((pre_fail + 1)); echo "!! $name failed"; fi
  echo "== $name done ($((SECONDS - t)) s)"
}
step build npm run -s build
step typecheck npm run -s typecheck
step lint npm run -s lint
step package npm run -s package

node test/run.mjs "$@" | tee .test-tmp-run.log
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' .test-tmp-run.log | tail -1)
rm -f .test-tmp-run.log
# No closing line from the runner (it crashed) is one failure, never a silent "0 failed".
[[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]] || { line="0 passed, 1 failed, 0 skipped"; rc=1; [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; }
passed=$(( BASH_REMATCH[1] + pre_pass ))
failed=$(( BASH_REMATCH[2] + pre_fail ))
skipped=${BASH_REMATCH[3]}
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$rc" -eq 0 ] && [ "$pre_fail" -eq 0 ]
