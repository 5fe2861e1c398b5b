# Sourced by scripts/demo.sh: `demo_step N/M "what it does" command…` prints what the step does
# before it starts, a line every AIRLOCK_DEMO_TICK_SEC (10) seconds while it runs, so a long
# `npm ci` is never silent, and how long it took. npm's own warnings (deprecated packages of
# dependencies) are not failures: they go to .cache/demo/npm.log, and only errors are shown.
demo_step() {
  local n=$1 what=$2
  shift 2
  local t0=$SECONDS tick=${AIRLOCK_DEMO_TICK_SEC:-10}
  echo "[demo] $n $what"
  ( while sleep "$tick"; do echo "[demo]     … still working: $what ($((SECONDS - t0)) s)"; done ) &
  local ticker=$!
  local rc=0
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null
  wait "$ticker" 2>/dev/null || true
  if [ "$rc" -ne 0 ]; then
    echo "[demo] $n FAILED (exit $rc): $what" >&2
    return "$rc"
  fi
  echo "[demo] $n done in $((SECONDS - t0)) s"
}

# npm ci with warnings kept out of sight (in a log) and errors shown as errors.
demo_npm_ci() {
  mkdir -p .cache/demo
  if ! npm ci --no-audit --no-fund --loglevel=error >.cache/demo/npm.log 2>&1; then
    cat .cache/demo/npm.log >&2
    return 1
  fi
}
