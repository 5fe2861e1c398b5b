#!/usr/bin/env bash
# A stand-in benchmark for the example phase: prints progress like a real run, then writes a result
# JSON to --out. Numbers depend on the model and level so the results matrix has something to show.
set -euo pipefail
while [ $# -gt 0 ]; do
  case "$1" in
    --level) level=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --rerun) rerun=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
steps=${AIRLOCK_EXAMPLE_STEPS:-5}
seed=$(printf '%s' "$model/$level" | cksum | cut -d' ' -f1)
for i in $(seq 1 "$steps"); do
  printf '\033[36m[%s/%s]\033[0m %s on %s: step %d/%d\n' "$level" "$model" "rerun $rerun" "$(hostname)" "$i" "$steps"
  sleep "${AIRLOCK_EXAMPLE_STEP_SEC:-0.4}"
done
accuracy=$(( 50 + seed % 45 ))
latency=$(( 20 + (seed / 7) % 80 + rerun ))
printf '{"level": "%s", "model": "%s", "rerun": %s, "accuracy": %s, "latency_ms": %s}\n' "$level" "$model" "$rerun" "$accuracy" "$latency" > "$out"
echo "wrote $out"
