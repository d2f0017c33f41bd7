"""checkin installed as a Python tool: a wheel built from this source, installed into a
fresh virtual environment, run from elsewhere with a home of its own.

The new environment gets no downloads: its dependencies are this test environment's,
reached through a .pth file (which adds a path only: the editable install of this
checkout, a .pth import hook in that folder, is not run), and the wheel is installed
with --no-deps. Building the wheel uses pip's build isolation, which fetches the build
backend named in pyproject.toml (from pip's cache when it has it).
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant.journal.paths import DB_NAME
from assistant.journal.store import Journal
from tests.support.typed import DAILY_SCRIPT

pytestmark = pytest.mark.slow

SOURCE = Path(__file__).resolve().parents[2]


def run(*args: str | Path, timeout: float = 120, **kwargs: object) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, check=False, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return str(done.stdout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The built wheel, and a fresh venv with it installed: {"wheel", "venv", "site"}."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a clean copy: the build leaves build/ and *.egg-info behind
    shutil.copytree(SOURCE / "assistant", source / "assistant",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(SOURCE / name, source / name)
    # no PYTHONPATH: pip would find this checkout's `assistant` on it and install nothing
    quiet = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
             "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-q", "-w", work / "dist",
        env=quiet, timeout=300)
    (wheel,) = (work / "dist").glob("checkin-*.whl")

    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    new_site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                    .strip())
    (new_site / "test-dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "-q", wheel, env=quiet)
    return {"wheel": wheel, "venv": venv, "site": new_site}


def test_the_wheel_carries_every_file_the_package_reads(installed: dict[str, Path]) -> None:
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
    source_files = {
        p.relative_to(SOURCE).as_posix() for p in (SOURCE / "assistant").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert any(n.endswith(".toml") for n in source_files)  # the guides and the phrases
    assert source_files - names == set()
    assert not any(n.startswith(("tests/", "scripts/", "speechlab/", "models/")) for n in names)


def test_an_installed_checkin_runs_a_typed_checkin_in_the_users_folders(
    installed: dict[str, Path], tmp_path: Path
) -> None:
    venv = installed["venv"]
    home, cwd = tmp_path / "home", tmp_path / "somewhere"
    home.mkdir()
    cwd.mkdir()
    data = home / ".local" / "share"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CHECKIN_", "XDG_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(data),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_STATE_HOME=str(home / ".local" / "state"), PYTHONUTF8="1",
               PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")

    where = run(venv / "bin" / "python", "-c", "import assistant; print(assistant.__file__)",
                cwd=cwd, env=env)
    assert Path(where.strip()).is_relative_to(installed["site"]), where  # not the checkout

    checkin = venv / "bin" / "checkin"
    run(checkin, "run", "--text", "--guide", "daily", "--names", "Ana,Ben",
              input=DAILY_SCRIPT, cwd=cwd, env=env, timeout=60)
    folder = data / "checkin"
    assert (folder / DB_NAME).is_file()
    with Journal.open(folder) as journal:
        (session,) = journal.sessions()
        kept = journal.appreciations()
    assert session.end_reason == "completed" and len(kept) == 2

    models = run(checkin, "model", "list", cwd=cwd, env=env)
    assert f"models directory: {folder / 'models'}" in models

    guides = run(checkin, "guides", cwd=cwd, env=env)
    for name in ("weekly", "daily", "review"):
        assert f"\n{name} " in f"\n{guides}"
    assert f"Your own guides can go in {folder / 'guides'}" in guides

    assert list(cwd.iterdir()) == []  # nothing written where it was started
    assert not (installed["site"] / "models").exists()
