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
python -m pytest "$@"
