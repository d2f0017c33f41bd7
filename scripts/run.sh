#!/usr/bin/env bash
# Installs what checkin needs, fetches the default speech model on first run, then
# starts a check-in (any checkin run options pass through, e.g. --text, --guide daily).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
wants_default_model=1
for arg in "$@"; do
  case "$arg" in
    --text|--model|--model=*) wants_default_model=0 ;;
  esac
done
if ((wants_default_model)); then
  # Idempotent: says so when the model is already there. Without a network the
  # check-in still starts, typed, and says how to fetch the model later.
  .venv/bin/checkin model download || true
fi
exec .venv/bin/checkin run "$@"
