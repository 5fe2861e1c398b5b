#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) offline from the npm registry into .cache/code-server,
# following DESIGN.md §4. Idempotent: a finished install leaves a stamp file and is skipped next time.
# Fails loudly (no stamp) when a step the workbench needs did not work, instead of leaving a half
# install that makes the vscode/e2e tiers fail for obscure reasons later.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.cache/code-server"
stamp="$dest/.installed-4.100.3"
[ -f "$stamp" ] && exit 0
command -v rg >/dev/null || { echo "ripgrep (rg) is required: apt-get install ripgrep" >&2; exit 1; }

# npm install with one retry: the registry is the only network we have, and it hiccups.
npm_install() {
  npm install --no-audit --no-fund "$@" >/dev/null || { echo "[code-server] retrying: npm install $*" >&2; npm install --no-audit --no-fund "$@" >/dev/null; }
}

mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{"name":"airlock-code-server","private":true}' > package.json
echo "[code-server] npm install code-server@4.100.3 (no scripts)"
npm_install --ignore-scripts code-server@4.100.3
cs="$dest/node_modules/code-server"
echo "[code-server] installing its runtime dependencies"
( cd "$cs" && npm_install --omit=dev --ignore-scripts && npm rebuild argon2 >/dev/null )
echo "[code-server] installing VS Code's dependencies"
(
  cd "$cs/lib/vscode"
  npm_install --omit=dev --ignore-scripts
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # Some optional native modules (Windows-only ones, kerberos without headers) may fail to build;
  # the ones the workbench needs are checked below.
  npm_config_yes=true npm rebuild >/dev/null 2>&1 || echo "[code-server] note: some optional native modules did not rebuild"
  ln -sfn node_modules node_modules.asar
)
# Built-in extensions' dependencies (TypeScript for the JSON/TS language features); optional.
( cd "$cs/lib/vscode/extensions" && npm install --no-audit --no-fund --omit=dev >/dev/null 2>&1 ) \
  || echo "[code-server] note: built-in extensions' dependencies did not install (language features may be limited)"

missing=()
for f in out/node/entry.js lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node \
         lib/vscode/node_modules/node-pty/build/Release/pty.node lib/vscode/node_modules/@vscode/ripgrep/bin/rg; do
  [ -e "$cs/$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[code-server] install incomplete, missing: ${missing[*]} (rerun bash scripts/setup-code-server.sh)" >&2
  exit 1
fi
touch "$stamp"
echo "[code-server] ready: $cs"
