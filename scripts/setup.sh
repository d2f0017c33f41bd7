#!/usr/bin/env bash
# Installs what checkin needs on a fresh machine: system packages (when root and
# missing), a virtual environment in .venv, and the Python packages.
# Usage: scripts/setup.sh [--test]   (--test adds the test tools and the Korean model)
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(libportaudio2 espeak-ng)
if [[ "${1:-}" == "--test" ]]; then
  SYSTEM_PACKAGES+=(pulseaudio pulseaudio-utils alsa-utils libasound2-plugins sox tmux strace)
fi

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing system packages: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these system packages: ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [[ "${1:-}" == "--test" ]]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
