"""The first install with no network says that it needs the network, not only pip's error.

Before: scripts/setup.sh on a machine with no network at all failed inside pip ("No
matching distribution found") with no word that the first install downloads packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_first_install_without_network_says_it_needs_the_network(tmp_path: Path) -> None:
    checkout = tmp_path / "checkin"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", checkout)
    shutil.copy(ROOT / "scripts" / "setup.sh", checkout / "scripts")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update({  # every package index out of reach, as on a machine with no network
        "PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_NO_INDEX": "0", "PIP_FIND_LINKS": "", "PIP_RETRIES": "0", "PIP_TIMEOUT": "1",
        "PIP_NO_CACHE_DIR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    done = subprocess.run(["bash", "scripts/setup.sh"], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert ("setup: a package could not be downloaded: this first install needs the network "
            "(check-ins never do); connect and run it again") in done.stderr.splitlines()
