#!/usr/bin/env bash
# Stands in for a BloomBee server role: prints the log lines the analysers read, then serves until
# stopped (with a child process, like a real server's workers).
role=$1
case "$role" in
  server1|server2) cat "fixture/$role.log" ;;
  *) echo "DHT started, listening" ;;
esac
( while true; do sleep 1; done ) &
while true; do sleep 0.5; done
