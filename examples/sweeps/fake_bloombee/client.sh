#!/usr/bin/env bash
# Stands in for the BloomBee client: streams the inference log (the step latencies) and exits.
while IFS= read -r line; do echo "$line"; sleep "${STEP_SLEEP:-0.02}"; done < fixture/inference.log
