#!/usr/bin/env bash
# Stands in for the BloomBee client: streams an inference log in the original's format, with step
# latencies and bytes that depend on the case (scale.awk), and exits.
set -euo pipefail
batch=1 seq=128 offload=0
while [ $# -gt 0 ]; do
  case "$1" in
    --model) shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --seq) seq=$2; shift 2 ;;
    --offload) offload=$2; shift 2 ;;
    *) echo "client.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
awk -v batch="$batch" -v seq="$seq" -v offload="$offload" -v lossless="${BLOOMBEE_LOSSLESS_WRAPPER:-0}" -f scale.awk fixture/inference.log |
  while IFS= read -r line; do echo "$line"; sleep "${STEP_SLEEP:-0.02}"; done
