"""``synth index`` and ``synth cache list|clear``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from synth.cli import app
from synth.core.settings import Settings

runner = CliRunner()


def test_index_embeds_ahead_of_time_and_then_has_nothing_to_do(tiny_models: Path) -> None:
    empty = runner.invoke(app, ["index"])
    assert empty.exit_code == 1 and "the corpus is empty" in empty.output
    assert runner.invoke(app, ["add", str(FIXTURES / "scifact" / "corpus.jsonl")]).exit_code == 0
    first = runner.invoke(app, ["index"])
    assert first.exit_code == 0, first.output
    assert "passages indexed" in first.output and "embedded now" in first.output
    assert list(Settings().index_dir.glob("*.faiss"))
    again = runner.invoke(app, ["index"])
    assert "(0 embedded now)" in again.output


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "hub"
    (folder / "models--x").mkdir(parents=True)
    (folder / "models--x" / "weights").write_bytes(b"w" * 2048)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(folder))
    return folder


def test_cache_list_and_clear(hub: Path) -> None:
    settings = Settings()
    settings.pdf_cache.mkdir(parents=True)
    (settings.pdf_cache / "2005.13013v2.pdf").write_bytes(b"%PDF-" + b"x" * 100)
    listed = json.loads(runner.invoke(app, ["cache", "list", "--json"]).stdout)
    assert listed["schema"] == "synth.caches/1" and listed["cleared"] is False
    by_name = {c["name"]: c for c in listed["caches"]}
    assert list(by_name) == ["pdf", "snli", "hub"]
    for cache in listed["caches"]:
        assert set(cache) == {"name", "path", "bytes", "files"}
    assert (by_name["pdf"]["files"], by_name["pdf"]["bytes"]) == (1, 105)
    assert (by_name["snli"]["files"], by_name["hub"]["bytes"]) == (0, 2048)
    table = runner.invoke(app, ["cache", "list"])
    assert table.exit_code == 0 and "2.0 KB" in table.output
    cleared = runner.invoke(app, ["cache", "clear"])  # all: pdf and snli, never the hub
    assert cleared.exit_code == 0 and "cleared pdf: 105 B in 1 files" in cleared.output
    assert not settings.pdf_cache.exists() and (hub / "models--x" / "weights").exists()
    data = json.loads(runner.invoke(app, ["cache", "clear", "hub", "--json"]).stdout)
    assert data["cleared"] is True and [c["name"] for c in data["caches"]] == ["hub"]
    assert not hub.exists()
    bad = runner.invoke(app, ["cache", "clear", "models"])
    assert bad.exit_code == 1 and "unknown cache 'models'" in bad.output
