#!/usr/bin/env bash
# Installs what checkin needs, then starts a check-in (any checkin options pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/checkin run "$@"
