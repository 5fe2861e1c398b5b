#!/usr/bin/env bash
# Run Airlock in a real VS Code in your browser, on a fresh machine:  bash scripts/demo.sh
# Installs missing Debian packages and npm dependencies, builds and packages the extension, installs
# code-server 4.100.3 offline, installs the .vsix into .cache/demo/extensions, opens a copy of
# examples/ (.cache/demo/workspace, with a local bare git remote) and prints the URL to open.
# Port: AIRLOCK_DEMO_PORT (default 8765; a free port when that one is busy). Ctrl+C stops everything.
#   --check   start it, verify headlessly that the workbench shows Airlock, screenshot, exit 0/1.
set -euo pipefail
cd "$(dirname "$0")/.."
check=()
case "${1:-}" in
  --check) check=(--check) ;;
  "") ;;
  *) echo "usage: bash scripts/demo.sh [--check]" >&2; exit 2 ;;
esac
bash scripts/setup-system.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "[demo] building and packaging the extension"
npm run -s build >/dev/null
npm run -s package >/dev/null
bash scripts/setup-code-server.sh
exec node --import tsx test/support/demoServer.ts "${check[@]}"
