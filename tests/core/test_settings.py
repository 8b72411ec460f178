"""The settings: overrides, then the environment, then the config file, then defaults; and
where each effective value came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import synth
from synth.core.errors import BadInput, NotFound
from synth.core.settings import Settings, env_variable, find_config, origins


def _config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "synth.toml"
    path.write_text(text, encoding="utf-8")
    return path


FILE = '[verify]\nthreshold = 0.5\nmodel = "from-file"\n\n[chunk]\nmax_sentences = 2\n'


def test_overrides_beat_environment_beat_file_beat_defaults(
    synth_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(synth_home, FILE)
    monkeypatch.setenv("SYNTH_VERIFY_MODEL", "from-env")
    monkeypatch.setenv("SYNTH_CHUNK_MAX_SENTENCES", "4")
    settings = synth.open(chunk={"max_sentences": 5}).settings
    assert settings.chunk.max_sentences == 5  # override
    assert settings.verify.model == "from-env"  # environment over file
    assert settings.verify.threshold == 0.5  # file over default
    assert settings.verify.batch_size == 16  # default


def test_the_home_locates_the_file(tmp_path: Path) -> None:
    _config(tmp_path / "other", "[verify]\nthreshold = 0.3\n")
    assert Settings().verify.threshold == 0.4  # SYNTH_HOME has no synth.toml
    assert synth.open(tmp_path / "other").settings.verify.threshold == 0.3


def test_the_file_is_named_by_config_or_synth_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = _config(tmp_path / "elsewhere", "[verify]\nthreshold = 0.2\n")
    assert Settings(config=named).verify.threshold == 0.2
    monkeypatch.setenv("SYNTH_CONFIG", str(named))
    assert Settings().verify.threshold == 0.2
    assert find_config({}) == (named, True)
    monkeypatch.setenv("SYNTH_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(NotFound, match=r"missing\.toml not found"):
        Settings()


def test_a_bad_file_value_is_one_line_naming_file_and_line(synth_home: Path) -> None:
    _config(synth_home, "[verify]\nthreshold = 'high'\n")
    with pytest.raises(BadInput, match=r"synth.toml, line 2: verify.threshold = 'high'"):
        synth.open()


def test_origins_say_where_each_value_came_from(
    synth_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _config(synth_home, FILE)
    monkeypatch.setenv("SYNTH_VERIFY_MODEL", "from-env")
    overrides: dict[str, Any] = {"retrieve": {"top_k": 3}}
    found_path, found = origins(synth.open(**overrides).settings, overrides)
    by_key = {o.key: o for o in found}
    assert found_path == path
    assert (by_key["retrieve.top_k"].value, by_key["retrieve.top_k"].source) == (3, "override")
    assert by_key["verify.model"].where == "SYNTH_VERIFY_MODEL"
    assert (by_key["verify.threshold"].source, by_key["verify.threshold"].where) == (
        "file",
        str(path),
    )
    assert by_key["index.hnsw_m"].source == "default"
    assert by_key["home"].source == "env"
    assert "config" not in by_key


def test_env_variable_names() -> None:
    assert env_variable("verify.threshold") == "SYNTH_VERIFY_THRESHOLD"
    assert env_variable("data_dir") == "SYNTH_DATA_DIR"
