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
# in real time (mostly waiting on sound), the others are CPU-bound and run at nice 10,
# so the room's check-ins hear and speak as on a laptop whose other work is background
# work. Each has a folder of its own for its temporary files.
temp=$(mktemp -d)
trap 'rm -rf "$temp"' EXIT
nice -n 10 python -m pytest -m "not room" -p no:cacheprovider --basetemp="$temp/rest" \
  >"$temp/rest.log" 2>&1 &
rest=$!
set +e
python -m pytest -m room --basetemp="$temp/room"
room_status=$?
wait "$rest"
rest_status=$?
set -e
echo
echo "=== the tests outside the room (run beside those above, at nice 10) ==="
cat "$temp/rest.log"
if [ "$room_status" -ne 0 ]; then exit "$room_status"; fi
exit "$rest_status"
