#!/usr/bin/env bash
# Installs what checkin needs, fetches the default speech model on first run, then
# starts a check-in (any checkin run options pass through, e.g. --text, --guide daily).
# It stays in your folder, so paths you give (--guide my.toml) and the commands its
# hints name (.venv/bin/checkin ...) work from where you are.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
checkin="$root/.venv/bin/checkin"
wants_default_model=1
for arg in "$@"; do
  case "$arg" in
    --text|--model|--model=*) wants_default_model=0 ;;
  esac
done
if ((wants_default_model)); then
  # Idempotent and quiet when the model is already there. Without a network the
  # check-in still starts, typed, and says how to fetch the model later.
  "$checkin" model download --quiet || true
fi
exec "$checkin" run "$@"
