// The on-pod watchdog: a bash script that runs inside the pod's container beside the user's work,
// so the cost guard holds with the laptop closed and no Airlock running anywhere. Every RunPod pod
// carries RUNPOD_POD_ID and a pod-scoped RUNPOD_API_KEY (docs.runpod.io/runpodctl: "Every Pod you
// deploy comes preinstalled with the runpodctl command and a Pod-scoped API key"); the script uses
// them to stop its own pod through REST v2 (`POST /v2/pods/{id}/action {"action":"stop"}`), with
// `runpodctl stop pod` as the fallback. Stopping keeps the disk and ends GPU billing.
//
// Idle = every GPU at or below the threshold (nvidia-smi) AND no established TCP connection on the
// watched ports (SSH 22, Jupyter 8888) for `idle` seconds; one busy sample resets the clock, and a
// GPU that cannot be read counts as busy (never stop a run we cannot see). `max` seconds after the
// container started the pod is stopped whatever it does (the hard lifetime the user asked for).
// Why it stopped goes to the container log (Pods view / `airlock pods logs`), to
// $AIRLOCK_WATCHDOG_DIR/watchdog-stopped.json and into the pod's name ("… [stopped: idle 30 min]").
// Kept as a TypeScript string so the bundle needs no file loader; tests run the very same text.
export const watchdogScript = String.raw`#!/usr/bin/env bash
# Airlock on-pod watchdog (installed by Airlock at pod create; see docs/pods.md).
set -u
IDLE=${'$'}{AIRLOCK_WATCHDOG_IDLE_SEC:-0}
MAX=${'$'}{AIRLOCK_WATCHDOG_MAX_SEC:-0}
THRESH=${'$'}{AIRLOCK_WATCHDOG_GPU_THRESHOLD:-5}
INTERVAL=${'$'}{AIRLOCK_WATCHDOG_INTERVAL_SEC:-60}
PORTS=${'$'}{AIRLOCK_WATCHDOG_PORTS:-22 8888}
API=${'$'}{AIRLOCK_WATCHDOG_API:-https://api.runpod.io}
NAME=${'$'}{AIRLOCK_WATCHDOG_NAME:-}
DIR=${'$'}{AIRLOCK_WATCHDOG_DIR:-/workspace/.airlock}
POD=${'$'}{RUNPOD_POD_ID:-}
mkdir -p "$DIR" 2>/dev/null || DIR=/tmp/airlock; mkdir -p "$DIR"
log() { echo "[airlock-watchdog] $(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }

# 0 (true) = some GPU busy or unreadable, 1 = all idle.
gpus_busy() {
  local out u
  out=$(nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits 2>/dev/null) || return 0
  [ -n "$out" ] || return 0
  for u in $out; do
    u=${'$'}{u//[^0-9]/}
    [ -n "$u" ] || return 0
    [ "$u" -gt "$THRESH" ] && return 0
  done
  return 1
}

# 0 = an established connection on a watched port (someone on SSH or Jupyter).
connected() {
  local p hex
  for p in $PORTS; do
    hex=$(printf '%04X' "$p")
    awk -v h=":$hex" 'NR > 1 && $4 == "01" && substr($2, length($2) - 4) == h { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
  done
  return 1
}

api() { # METHOD PATH JSON
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -m 30 -X "$1" -H "Authorization: Bearer ${'$'}{RUNPOD_API_KEY:-}" -H 'Content-Type: application/json' -H 'User-Agent: airlock-watchdog' --data "$3" "$API$2" >/dev/null
  else
    python3 - "$1" "$API$2" "$3" <<'PY'
import os, sys, urllib.request
req = urllib.request.Request(sys.argv[2], data=sys.argv[3].encode(), method=sys.argv[1], headers={"Authorization": "Bearer " + os.environ.get("RUNPOD_API_KEY", ""), "Content-Type": "application/json", "User-Agent": "airlock-watchdog"})
urllib.request.urlopen(req, timeout=30).read()
PY
  fi
}

stop_pod() { # REASON SHORT
  log "stopping pod $POD: $1"
  printf '{"reason":"%s","at":"%s"}\n' "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$DIR/watchdog-stopped.json"
  [ -n "$NAME" ] && api PATCH "/v2/pods/$POD" "{\"name\":\"$NAME [stopped: $2]\"}" || true
  if api POST "/v2/pods/$POD/action" '{"action":"stop"}'; then log "stop requested"; exit 0; fi
  if command -v runpodctl >/dev/null 2>&1 && runpodctl stop pod "$POD"; then log "stop requested (runpodctl)"; exit 0; fi
  log "stop request failed; retrying in $INTERVAL s"
}

[ -n "$POD" ] || { log "RUNPOD_POD_ID is not set; the watchdog cannot stop this pod"; exit 1; }
log "watching pod $POD: idle stop after $IDLE s, lifetime $MAX s (0 = off), GPU threshold $THRESH%, ports $PORTS"
start=$(date +%s)
since=$start
while sleep "$INTERVAL"; do
  now=$(date +%s)
  if [ "$MAX" -gt 0 ] && [ $((now - start)) -ge "$MAX" ]; then
    stop_pod "lifetime of $MAX s reached (maxHours)" "lifetime"
    continue
  fi
  if ! gpus_busy && ! connected; then
    if [ "$IDLE" -gt 0 ] && [ $((now - since)) -ge "$IDLE" ]; then
      stop_pod "idle for $((now - since)) s: GPU at or below $THRESH% and no SSH/Jupyter connection (idleStopMinutes)" "idle"
    fi
  else
    since=$now
  fi
done
`;
