"""``synth config show|set`` and ``--config``: the effective settings with their sources,
one key set at a time, and one-line errors for bad keys, values and files."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.cli import app

runner = CliRunner()


def _shown(*args: str) -> dict[str, dict[str, object]]:
    result = runner.invoke(app, [*args, "config", "show", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    return {row["key"]: row for row in payload["settings"]} | {"": payload}


def test_set_then_show_names_each_source(synth_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["config", "set", "verify.threshold", "0.5"]).exit_code == 0
    done = runner.invoke(app, ["config", "set", "arxiv.mirror", "/data/arxiv"])
    assert done.exit_code == 0 and "arxiv.mirror" in done.stdout
    path = synth_home / "synth.toml"
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "verify": {"threshold": 0.5},
        "arxiv": {"mirror": "/data/arxiv"},
    }
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", "/env/arxiv")
    shown = _shown()
    assert shown[""]["config_file"] == str(path) and shown[""]["exists"] is True
    assert shown["verify.threshold"] == {
        "key": "verify.threshold", "value": 0.5, "source": "file", "where": str(path)
    }  # fmt: skip
    assert shown["arxiv.mirror"]["value"] == "/env/arxiv"
    assert shown["arxiv.mirror"]["where"] == "SYNTH_ARXIV_MIRROR"
    assert shown["chunk.max_sentences"]["source"] == "default"
    text = runner.invoke(app, ["config", "show"]).stdout
    assert f"config file: {path}" in text
    assert any(line.split()[:2] == ["verify.threshold", "0.5"] for line in text.splitlines())


def test_config_option_and_variable_name_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = tmp_path / "team.toml"
    assert runner.invoke(app, ["--config", str(named), "config", "set", "chunk.max_chars", "400"]
                         ).exit_code == 0  # fmt: skip
    assert _shown("--config", str(named))["chunk.max_chars"]["value"] == 400
    assert _shown()["chunk.max_chars"]["value"] == 600  # not the home's file
    monkeypatch.setenv("SYNTH_CONFIG", str(named))
    assert _shown()["chunk.max_chars"]["source"] == "file"
    missing = runner.invoke(app, ["--config", str(tmp_path / "nope.toml"), "config", "show"])
    assert missing.exit_code == 1 and "nope.toml not found" in missing.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["verify.treshold", "0.5"], "unknown key 'verify.treshold' — valid keys in [verify]:"),
        (["nope", "1"], "unknown key 'nope' — valid sections: arxiv"),
        (["verify.threshold", "high"], "verify.threshold takes a number > 0 and < 1"),
        (["chunk.max_sentences", "0"], "chunk.max_sentences takes an integer >= 1"),
    ],
)
def test_set_refuses_bad_keys_and_values_in_one_line(
    synth_home: Path, args: list[str], expected: str
) -> None:
    result = runner.invoke(app, ["config", "set", *args])
    assert result.exit_code == 1
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert not (synth_home / "synth.toml").exists()


def test_a_broken_file_is_one_line_naming_its_line(synth_home: Path) -> None:
    synth_home.mkdir(parents=True)
    (synth_home / "synth.toml").write_text("[verify]\nthreshold = 0.4\nmodel = oops\n")
    for args in (["config", "show"], ["corpus", "list"], ["config", "set", "verify.model", "x"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert "synth.toml, line 3: not valid TOML (key 'verify.model')" in result.stderr
    (synth_home / "synth.toml").write_text("[verify]\nthreshold = 4\n")
    result = runner.invoke(app, ["config", "show"])
    assert "synth.toml, line 2: verify.threshold = 4" in result.stderr
