"""`synth audit` and `synth report` as a user runs them: the real adapters with the tiny
random model (labels mean nothing; files, shapes, messages and exit codes do), papers
fetched through the real arXiv client from a mirror on disk."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import FAKE_ID
from schemas import SCHEMAS
from typer.testing import CliRunner

from synth.cli import app

runner = CliRunner()
CLAIM_KEYS = {
    "text", "truncated", "recovered_text", "report_mark", "report_confidence", "label",
    "confidence", "evidence", "numeric",
}  # fmt: skip
REPORT = f"""# A tiny synthesis

Research question: Does intermediate training help transfer?

## Claims

Claim\tVerified\tConfidence
Intermediate training gives a gain of 3.5 points.\t✓\t0.7
Intermediate training gives a gain of 9.9 points.\t×\t0.2
<script>window.__pwned=1</script> [x](javascript:alert(1)) | cell | **bold** claims.\t✓\t0.5

## References

- <http://arxiv.org/abs/{FAKE_ID}v2>
- <http://arxiv.org/abs/2205.08497v1>
- https://doi.org/10.18653/v1/2020.aacl-main.56
"""


@pytest.fixture
def env(tiny_models: Path, fake_mirror: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(fake_mirror))
    return fake_mirror


def _audit(path: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["audit", str(path), "--out-dir", str(out), *extra])
    return result.exit_code, result.stdout, result.stderr


def test_audit_writes_three_files_and_the_json_shape(env: Path, tmp_path: Path) -> None:
    report = tmp_path / "synthesis.txt"
    report.write_text(REPORT, encoding="utf-8")
    code, stdout, stderr = _audit(report, tmp_path / "reports", "--json")
    assert code == 0, stderr
    folder = tmp_path / "reports" / "audit-synthesis"
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.json", "report.md"]
    data = json.loads(stdout)
    assert data == json.loads((folder / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMAS["report"])
    assert data["schema"] == "synth.report/1"
    assert data["question"] == "Does intermediate training help transfer?"
    assert len(data["claims"]) == 3 and all(set(c) >= CLAIM_KEYS for c in data["claims"])
    first = data["claims"][0]
    assert (first["report_mark"], first["report_confidence"]) == (True, 0.7)
    assert first["evidence"] and {"paper_id", "page", "quote"} <= set(first["evidence"][0])
    refs = data["references"]
    assert [r["resolved"] for r in refs] == [True, False, False]
    assert refs[0]["paper_id"] == f"{FAKE_ID}v2"
    assert "offline mirror" in refs[1]["why"] and "not an arXiv paper" in refs[2]["why"]
    assert "report written to" in stderr  # with --json the table goes to stderr


def test_injection_in_a_claim_stays_text(env: Path, tmp_path: Path) -> None:
    report = tmp_path / "evil.md"
    report.write_text(REPORT, encoding="utf-8")
    assert _audit(report, tmp_path)[0] == 0
    html = (tmp_path / "audit-evil" / "report.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "audit-evil" / "report.md").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned" in html
    assert 'href="javascript:' not in html
    assert "<script>" not in markdown and "\\[x\\](javascript:alert(1))" in markdown


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("weights.bin", b"\x00\x01binary\x00", "binary file"),
        ("empty.md", b"# Nothing to see\n\nNo claims here.\n", "no claims found"),
        ("huge.txt", None, "synth audits reports up to 5 MB"),
    ],
)
def test_bad_input_exits_1_with_a_report_that_says_why(
    env: Path, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is None:  # 50 MB of text, written sparse: never read
        with path.open("wb") as sink:
            sink.truncate(50 * 1024 * 1024)
    else:
        path.write_bytes(content)
    code, stdout, stderr = _audit(path, tmp_path / "out")
    assert code == 1
    assert message in stdout + stderr
    (folder,) = (tmp_path / "out").iterdir()
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMAS["report"])
    assert any(message in p["message"] for p in data["problems"]) and data["claims"] == []
    assert (folder / "report.html").is_file() and (folder / "report.md").is_file()


def test_unresolvable_references_still_list_every_claim(env: Path, tmp_path: Path) -> None:
    path = tmp_path / "lost.txt"
    path.write_text(REPORT.replace(f"{FAKE_ID}v2", "2205.08498v1"), encoding="utf-8")
    code, stdout, _ = _audit(path, tmp_path, "--json")
    assert code == 1  # nothing could be checked against a paper
    data = json.loads(stdout)
    assert len(data["claims"]) == 3 and {c["label"] for c in data["claims"]} == {"NOT_ENOUGH_INFO"}
    assert any("none of the references could be resolved" in p["message"] for p in data["problems"])


def test_missing_file_is_an_error_without_a_report(env: Path, tmp_path: Path) -> None:
    code, _, stderr = _audit(tmp_path / "nope.txt", tmp_path / "out")
    assert code == 1 and "no such file" in stderr and not (tmp_path / "out").exists()


def test_report_from_an_existing_report_and_from_papers(env: Path, tmp_path: Path) -> None:
    source = tmp_path / "synthesis.txt"
    source.write_text(REPORT, encoding="utf-8")
    result = runner.invoke(
        app, ["report", "--from", str(source), "--out-dir", str(tmp_path), "--json"]
    )
    assert result.exit_code in (0, 1), result.output  # 1 when no claim was found checkable
    data = json.loads(result.stdout)
    assert data["kind"] == "synthesis" and data["synthesis"] is not None
    assert data["question"] == "Does intermediate training help transfer?"
    assert [r["resolved"] for r in data["references"]] == [True, False, False]
    assert data["claims"] and all(c["evidence"] is not None for c in data["claims"])
    folder = tmp_path / "does-intermediate-training-help-transfer"
    assert (folder / "report.html").is_file()

    result = runner.invoke(
        app, ["report", "-q", "Does it help?", "--paper", FAKE_ID, "--out-dir", str(tmp_path)]
    )
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / "does-it-help" / "report.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--paper", "2005.13013"], "no research question"), (["-q", "Why?"], "no papers")],
)
def test_report_needs_a_question_and_papers(env: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 1 and message in result.stderr


def test_a_report_without_claims_says_so_before_any_model_is_loaded(
    fake_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(fake_mirror))
    monkeypatch.setenv("SYNTH_VERIFY_MODEL", str(tmp_path / "no-model"))
    monkeypatch.setenv("SYNTH_EMBED_MODEL", str(tmp_path / "no-model"))
    for name, text in (("empty.md", ""), ("cites.md", "# Notes\n\nSee [1].\n\n## References\n\n"
                                          f"[1] http://arxiv.org/abs/{FAKE_ID}v2\n")):  # fmt: skip
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, stdout, stderr = _audit(path, tmp_path / "out")
        assert code == 1
        assert f"error: no claims found in {path}" in stderr
        assert "model" not in stdout + stderr
