#!/usr/bin/env bash
# Run Airlock in a real VS Code in your browser, on a fresh machine:  bash scripts/demo.sh
# Installs missing Debian packages and npm dependencies, builds and packages the extension, installs
# code-server 4.100.3 offline, installs the .vsix into .cache/demo/extensions, opens a copy of
# examples/ (.cache/demo/workspace, with a local bare git remote), starts a fake RunPod (the "demo
# endpoint") and a Jupyter server on this machine, and prints the URL to open. Each step says what it
# does while it runs. Port: AIRLOCK_DEMO_PORT (default 8765; a free port when that one is busy).
# Ctrl+C stops everything.
#   --check   start it, verify headlessly that the workbench shows Airlock, screenshot, exit 0/1.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/demo-steps.sh
. scripts/demo-steps.sh
check=()
case "${1:-}" in
  --check) check=(--check) ;;
  "") ;;
  *) echo "usage: bash scripts/demo.sh [--check]" >&2; exit 2 ;;
esac
demo_step 1/5 "checking the Debian packages the demo needs (git, openssh, chromium…; installs what is missing)" bash scripts/setup-system.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  demo_step 2/5 "installing npm dependencies (npm ci, about a minute on a fresh machine; npm's warnings go to .cache/demo/npm.log)" demo_npm_ci
else
  echo "[demo] 2/5 npm dependencies are up to date"
fi
demo_step 3/5 "building and packaging the extension (dist/airlock.vsix)" bash -c 'npm run -s build >/dev/null && npm run -s package >/dev/null'
demo_step 4/5 "installing code-server 4.100.3 (VS Code in the browser) into .cache/code-server, once" bash scripts/setup-code-server.sh
echo "[demo] 5/5 starting VS Code with Airlock, a fake RunPod (demo endpoint) and a Jupyter server"
exec node --import tsx test/support/demoServer.ts "${check[@]}"
