#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) offline from the npm registry into .cache/code-server,
# following DESIGN.md §4. Idempotent: a finished install leaves a stamp file and is skipped next time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.cache/code-server"
stamp="$dest/.installed-4.100.3"
[ -f "$stamp" ] && exit 0
command -v rg >/dev/null || { echo "ripgrep (rg) is required: apt-get install ripgrep" >&2; exit 1; }
mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{"name":"airlock-code-server","private":true}' > package.json
echo "[code-server] npm install code-server@4.100.3 (no scripts)"
npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3 >/dev/null
cs="$dest/node_modules/code-server"
echo "[code-server] installing its runtime dependencies"
( cd "$cs" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null && npm rebuild argon2 >/dev/null )
echo "[code-server] installing VS Code's dependencies"
( cd "$cs/lib/vscode" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null \
  && mkdir -p node_modules/@vscode/ripgrep/bin && ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg \
  && npm_config_yes=true npm rebuild >/dev/null 2>&1 || true
  ln -sfn node_modules node_modules.asar )
( cd "$cs/lib/vscode/extensions" && npm install --no-audit --no-fund --omit=dev >/dev/null 2>&1 || true )
test -f "$cs/out/node/entry.js"
touch "$stamp"
echo "[code-server] ready: $cs"
