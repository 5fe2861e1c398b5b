#!/usr/bin/env bash
# Stands in for a BloomBee server role: prints the log lines the analysers read (scaled for the case
# by scale.awk), then serves until stopped (with a child process, like a real server's workers).
role=$1
shift
batch=1 seq=128 offload=0
while [ $# -gt 0 ]; do
  case "$1" in
    --batch) batch=$2; shift 2 ;;
    --seq) seq=$2; shift 2 ;;
    --offload) offload=$2; shift 2 ;;
    *) echo "server.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
case "$role" in
  server1|server2) awk -v batch="$batch" -v seq="$seq" -v offload="$offload" -v lossless="${BLOOMBEE_LOSSLESS_WRAPPER:-0}" -f scale.awk "fixture/$role.log" ;;
  *) echo "DHT started, listening" ;;
esac
( while true; do sleep 1; done ) &
while true; do sleep 0.5; done
