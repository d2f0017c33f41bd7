#!/usr/bin/env bash
# Installs everything the tests need, then runs lint, type checks and the test suite.
# Usage: scripts/test.sh [pytest arguments]
#   the fast loop for daily work: scripts/test.sh -m "not slow and not room"
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source .venv/bin/activate
ruff check assistant tests scripts speechlab
mypy
if [ "$#" -gt 0 ]; then
  exec python -m pytest "$@"
fi
# The whole suite in two processes side by side: the tests in the PulseAudio room run
# in real time (mostly waiting on sound), the others are CPU-bound and run as background
# work, so the room's check-ins hear and speak as on a laptop whose other work is in the
# background. Background means a session of its own at the lowest priority: Linux
# shares the CPU between sessions before it looks at `nice` (autogroups), and every
# check-in the room's tests start is a session of its own. Measured: with two such
# background loops busy, the English room check-in took each spoken command at the
# first try; at equal priority it missed a "yes" twice.
temp=$(mktemp -d)
cleanup() {  # an interrupted run leaves no background pytest behind
  if [ -s "$temp/rest.pid" ]; then kill -- "-$(cat "$temp/rest.pid")" 2>/dev/null || true; fi
  rm -rf "$temp"
}
trap cleanup EXIT
in_background() {
  if command -v setsid >/dev/null 2>&1; then
    setsid -w bash -c 'echo $$ >"$0"; echo 19 >/proc/self/autogroup 2>/dev/null || true
                       exec nice -n 10 "$@"' "$temp/rest.pid" "$@"
  else
    nice -n 10 "$@"
  fi
}
in_background python -m pytest -m "not room" -p no:cacheprovider --durations=15 \
  --basetemp="$temp/rest" >"$temp/rest.log" 2>&1 &
rest=$!
set +e
python -m pytest -m room --durations=15 --basetemp="$temp/room"
room_status=$?
wait "$rest"
rest_status=$?
rm -f "$temp/rest.pid"
set -e
echo
echo "=== the tests outside the room (run beside those above, in the background) ==="
cat "$temp/rest.log"
if [ "$room_status" -ne 0 ]; then exit "$room_status"; fi
exit "$rest_status"
