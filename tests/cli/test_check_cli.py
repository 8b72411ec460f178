"""`synth check`, `synth models` and `synth eval` as a user runs them, on the real model
adapters loaded with a tiny random model (so labels mean nothing; shapes, errors and
stored state do)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from synth.cli import app
from synth.core.settings import Settings

runner = CliRunner()
CORPUS = FIXTURES / "scifact" / "corpus.jsonl"


@pytest.fixture
def corpus(tiny_models: Path) -> Path:
    result = runner.invoke(app, ["add", str(CORPUS)])
    assert result.exit_code == 0, result.output
    return CORPUS


def test_check_json(corpus: Path, tiny_model: Path) -> None:
    result = runner.invoke(
        app, ["check", "Afternoon coffee lowers recall by 3 percent", "--paper", "202", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["label"] in {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
    assert {p["paper_id"] for p in data["papers"]} == {"202"}
    assert data["evidence"][0]["page"] == 1
    assert data["model"] == str(tiny_model)
    assert data["numeric"]["claim_quantities"] == ["3 percent"]


def test_check_panel_quotes_paper_and_page(corpus: Path) -> None:
    result = runner.invoke(app, ["check", "Warm baths bring sleep onset earlier"])
    assert result.exit_code == 0, result.output
    assert "confidence" in result.stdout and ", p. 1" in result.stdout


def test_batch_writes_one_verdict_per_line(corpus: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        '{"id": "a", "claim": "Daily walks raise mood by 4.2 points"}\n'
        '{"id": "b", "claim": "Noise slows reading", "papers": ["205"]}\n'
        "not json\n"
        '{"id": "d", "claim": ""}\n'
        "[1, 2]\n"
        '{"id": "f", "claim": "Coffee helps", "papers": "202"}\n'
        '{"claim": "Warm baths bring sleep onset earlier"}\n'
    )
    out = tmp_path / "verdicts.jsonl"
    result = runner.invoke(app, ["check", "--batch", str(claims), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r.get("id") for r in rows] == ["a", "b", "line 3", "d", "line 5", "f", "line 7"]
    assert {p["paper_id"] for p in rows[1]["papers"]} == {"205"}
    assert "not JSON" in rows[2]["error"] or "Expecting value" in rows[2]["error"]
    assert "empty" in rows[3]["error"]
    assert "no claim" in rows[4]["error"]
    assert "not a list of ids" in rows[5]["error"]
    assert rows[6]["label"] and "error" not in rows[6]
    assert not out.with_name(out.name + ".partial").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", ""], "the claim is empty"),
        (["check", "word " * 2000], "characters"),
        (["check", "Der Kaffee am Nachmittag ist nicht gut für das Gedächtnis"], "German"),
        (["check", "Coffee helps", "--paper", "999"], "999: no such paper"),
        (["check"], "give one claim or --batch"),
        (["check", "--batch", "x.jsonl"], "--batch needs --out"),
    ],
)
def test_bad_input_exits_1_with_a_remedy(corpus: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "—" in result.output  # every error carries a hint


def test_empty_corpus(tiny_models: Path) -> None:
    result = runner.invoke(app, ["check", "Coffee helps memory"])
    assert result.exit_code == 1
    assert "the corpus is empty" in result.output and "synth fetch" in result.output


def test_default_verifier_neither_shipped_nor_built(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_EMBED_MODEL", str(tiny_model))
    monkeypatch.setattr("synth.core.models.SHIPPED", tmp_path / "not-installed")
    assert runner.invoke(app, ["add", str(CORPUS)]).exit_code == 0
    result = runner.invoke(app, ["check", "Coffee helps memory"])
    assert result.exit_code == 1
    assert "neither shipped with this install nor built" in result.output
    assert "synth models build" in result.output


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_model_path_with_no_model(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    folder = tmp_path / "no-model"
    if kind == "empty":
        folder.mkdir()
    monkeypatch.setenv("SYNTH_VERIFY_MODEL", str(folder))
    result = runner.invoke(app, ["check", "Coffee helps memory"])
    assert result.exit_code == 1
    assert ("no such model folder" if kind == "missing" else "config.json is missing") in (
        result.output
    )


def test_corrupt_or_missing_index_is_rebuilt_from_stored_vectors(corpus: Path) -> None:
    assert runner.invoke(app, ["check", "Coffee helps memory"]).exit_code == 0
    settings = Settings()
    (index_file,) = settings.index_dir.glob("*.faiss")
    index_file.write_bytes(b"not a faiss index")
    result = runner.invoke(app, ["check", "Coffee helps memory"])
    assert result.exit_code == 0, result.output
    assert "rebuilt the search index: the index file is unreadable" in result.output
    index_file.unlink()
    assert runner.invoke(app, ["check", "Coffee helps memory"]).exit_code == 0
    assert index_file.exists()
    with sqlite3.connect(settings.db_path) as db:  # the stored corpus is untouched
        assert db.execute("SELECT count(*) FROM papers").fetchone()[0] == 6
        assert db.execute("SELECT count(*) FROM embeddings").fetchone()[0] > 0


def test_models_calibrate_and_list(tiny_model: Path, shared_fixture: Path) -> None:
    from synth.verify.recipe import Recipe, Stage
    from synth.verify.train import BuildOptions, build_verifier

    recipe = Recipe("tiny", (Stage("general", {"snli": 12}),))
    build_verifier(BuildOptions(name="tiny-nli", base=str(tiny_model), snli=FIXTURES / "nli",
                                recipe=recipe), Settings())  # fmt: skip
    env = {"SYNTH_EMBED_MODEL": str(tiny_model)}
    result = runner.invoke(app, ["models", "calibrate", "tiny-nli", "--data", str(shared_fixture)],
                           env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "verdict head: fitted on" in result.output
    listed = runner.invoke(app, ["models", "list"])
    assert "tiny-nli" in listed.output


@pytest.mark.parametrize("command", ["build", "calibrate"])
def test_models_need_the_shared_data_folder(tmp_path: Path, command: str) -> None:
    result = runner.invoke(app, ["models", command, "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "expected scifact/ and claims/ there" in result.output and "--data DIR" in result.output


def test_models_build_refuses_an_unknown_precision() -> None:
    result = runner.invoke(app, ["models", "build", "--precision", "fp16"])
    assert result.exit_code == 1
    assert "unknown precision 'fp16'" in result.output and "fp32, bf16 or auto" in result.output


def test_eval_scifact_reports_figures(tiny_models: Path, tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    claims = str(FIXTURES / "scifact" / "claims.jsonl")
    args = ["eval", "scifact", "--claims", claims, "--corpus", str(CORPUS), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "label-only" in result.output and "oracle" in result.output
    assert "{" not in result.output and "claims (SUPPORT " in result.output  # no dict
    figures = json.loads(out.read_text())
    assert figures["claims"] == 10
    assert figures["gold"] == {"SUPPORT": 3, "CONTRADICT": 4, "NEI": 3}
    assert set(figures["open"]) == {
        "abstract_label_only",
        "accuracy",
        "macro_f1",
        "per_class_f1",
        "ece",
        "auroc",
    }
    # the eval corpus has its own store: the user's corpus stays empty
    assert runner.invoke(app, ["corpus", "list", "--json"]).stdout.strip() == "[]"


def test_eval_healthver_reports_figures(tiny_models: Path, tmp_path: Path) -> None:
    pairs = FIXTURES / "claims" / "healthver" / "healthver_test.csv"
    out = tmp_path / "figures.json"
    result = runner.invoke(app, ["eval", "healthver", "--pairs", str(pairs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3-class acc" in result.output
    figures = json.loads(out.read_text())
    assert figures["pairs"] > 0 and 0.0 <= figures["accuracy"] <= 1.0


def test_eval_offtopic_reports_the_share_of_not_enough_info(
    tiny_models: Path, fake_mirror: Path, tmp_path: Path
) -> None:
    claims = FIXTURES / "scifact" / "claims.jsonl"
    args = ["eval", "offtopic", "--claims", str(claims), "--paper", "2101.00001",
            "--limit", "4", "--json"]  # fmt: skip
    result = runner.invoke(app, args, env={"SYNTH_ARXIV_MIRROR": str(fake_mirror)})
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["claims"] == 4 and figures["papers"] == ["2101.00001"]
    assert sum(figures["labels"].values()) == 4
    unknown = runner.invoke(app, [*args[:5], "2199.99999"],
                            env={"SYNTH_ARXIV_MIRROR": str(fake_mirror)})  # fmt: skip
    assert unknown.exit_code == 1 and "could not fetch 2199.99999" in unknown.output


def test_eval_with_an_empty_split(tiny_models: Path) -> None:
    claims = str(FIXTURES / "scifact" / "claims.jsonl")
    result = runner.invoke(
        app, ["eval", "scifact", "--claims", claims, "--corpus", str(CORPUS), "--split", "nope"]
    )
    assert result.exit_code == 1 and "unknown split" in result.output


def test_models_list_json() -> None:
    result = runner.invoke(app, ["models", "list", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "synth.models/1" and data["models"]
    for model in data["models"]:
        assert set(model) == {"name", "where", "folder", "base", "held_out", "problem"}
        assert model["where"] in ("built", "shipped") and isinstance(model["held_out"], dict)
