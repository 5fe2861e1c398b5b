#!/usr/bin/env bash
# Installs the Debian packages Airlock's tests and demo use, when they are missing.
# Needs root (or sudo) on Debian/Ubuntu; prints what to install otherwise.
set -euo pipefail
pkgs=(git openssh-server openssh-client chromium ripgrep libkrb5-dev procps iproute2 python3 make g++ fonts-dejavu-core jupyter-server python3-ipykernel python3-jupyter-client slurm-wlm slurm-client munge)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "[setup] installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
