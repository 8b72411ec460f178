"""The config file: every key and value checked, problems named by file, line and key, and
one key set with the others kept."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from synth.core.config_file import (
    check_value,
    describe,
    dumps,
    flatten,
    key_line,
    nest,
    read_config,
    set_value,
)
from synth.core.errors import BadInput, NotFound
from synth.core.settings import setting_fields

FIELDS = setting_fields()


def test_flatten_and_nest_are_inverses() -> None:
    nested = {"home": "/h", "verify": {"threshold": 0.4, "model": "m"}, "a": {"b": {"c": 1}}}
    flat = flatten(nested)
    assert flat == {"home": "/h", "verify.threshold": 0.4, "verify.model": "m", "a.b.c": 1}
    assert nest(flat) == nested


def test_key_line_finds_section_dotted_and_inline_keys() -> None:
    text = 'home = "/h"\n\n[verify]\n# comment\nthreshold = 0.4\n[arxiv]\n"mirror" = "x"\n'
    assert key_line(text, "home") == 1
    assert key_line(text, "verify.threshold") == 5
    assert key_line(text, "arxiv.mirror") == 7
    assert key_line("verify.threshold = 0.4\n", "verify.threshold") == 1
    assert key_line("\nverify = {threshold = 0.4}\n", "verify.threshold") == 2
    assert key_line(text, "verify.model") is None


def test_describe_says_the_type_and_bounds_in_words() -> None:
    assert describe(FIELDS["verify.threshold"]) == "a number > 0 and < 1"
    assert describe(FIELDS["chunk.max_sentences"]) == "an integer >= 1"
    assert describe(FIELDS["arxiv.mirror"]) == "a path"
    assert describe(FIELDS["embed.model"]) == "text"


def test_check_value_converts_text_and_names_the_problem() -> None:
    assert check_value("verify.threshold", "0.5", FIELDS, "f") == 0.5
    assert check_value("retrieve.max_papers", "2", FIELDS, "f") == 2
    assert check_value("arxiv.mirror", "/m", FIELDS, "f") == Path("/m")
    with pytest.raises(BadInput, match=r"^f: verify.threshold = 1.5: .*less than 1") as bad:
        check_value("verify.threshold", 1.5, FIELDS, "f")
    assert bad.value.hint == "verify.threshold takes a number > 0 and < 1"
    with pytest.raises(BadInput, match=r"embed.model = 3: .*valid string"):
        check_value("embed.model", 3, FIELDS, "f")  # TOML's 3 is not text
    with pytest.raises(BadInput, match=r"unknown key 'verify\.treshold'") as unknown:
        check_value("verify.treshold", 1, FIELDS, "f")
    assert unknown.value.hint is not None and "threshold" in unknown.value.hint
    with pytest.raises(BadInput, match=r"unknown key 'nope\.x'") as section:
        check_value("nope.x", 1, FIELDS, "f")
    assert section.value.hint is not None and section.value.hint.startswith("valid sections: arxiv")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "synth.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_config_checks_every_key(tmp_path: Path) -> None:
    path = _write(tmp_path, '[verify]\nthreshold = 0.5\n\n[arxiv]\nmirror = "/m"\n')
    assert read_config(path, FIELDS) == {"verify.threshold": 0.5, "arxiv.mirror": Path("/m")}
    assert read_config(tmp_path / "none.toml", FIELDS) == {}
    with pytest.raises(NotFound, match=r"none\.toml not found"):
        read_config(tmp_path / "none.toml", FIELDS, must_exist=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[verify]\ntreshold = 0.5\n", r"synth.toml, line 2: unknown key 'verify.treshold'"),
        ("[verify]\n\nthreshold = 2\n", r"synth.toml, line 3: verify.threshold = 2: .*less than 1"),
        (
            "[chunk]\nmax_sentences = = 2\n",
            r"synth.toml, line 2: not valid TOML \(key 'chunk.max_sentences'\): .*line 2",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_file_line_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(BadInput, match=message) as bad:
        read_config(_write(tmp_path, text), FIELDS)
    assert "\n" not in str(bad.value)


def test_set_value_keeps_other_keys_and_leaves_no_partial_file(tmp_path: Path) -> None:
    path = _write(tmp_path, 'home = "/h"\n[verify]\nmodel = "m"\n[custom]\nkept = [1, 2]\n')
    assert set_value(path, "verify.threshold", "0.25", FIELDS) == 0.25
    assert set_value(path, "arxiv.mirror", "/data/a b", FIELDS) == Path("/data/a b")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "home": "/h",
        "verify": {"model": "m", "threshold": 0.25},
        "custom": {"kept": [1, 2]},
        "arxiv": {"mirror": "/data/a b"},
    }
    assert [p.name for p in tmp_path.iterdir()] == ["synth.toml"]


def test_set_value_refuses_bad_input_and_leaves_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[verify]\nthreshold = 0.5\n")
    with pytest.raises(BadInput, match=r"valid integer"):
        set_value(path, "chunk.max_sentences", "two", FIELDS)
    with pytest.raises(BadInput, match="unknown key"):
        set_value(path, "verify.treshold", "0.3", FIELDS)
    assert path.read_text(encoding="utf-8") == "[verify]\nthreshold = 0.5\n"
    broken = _write(tmp_path, "[verify\n")
    with pytest.raises(BadInput, match="not valid TOML"):
        set_value(broken, "verify.threshold", "0.3", FIELDS)


def test_set_value_creates_the_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "synth.toml"
    set_value(path, "embed.model", "x", FIELDS)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"embed": {"model": "x"}}


def test_dumps_writes_strings_any_reader_reads_back() -> None:
    values = {
        "a": 'quote " backslash \\ newline \n tab \t del \x7f nul \x00 é 😀',
        "b": True,
        "c": 1.5,
        "d": float("inf"),
        "s.odd key": [{"x": 1}],
    }
    assert flatten(tomllib.loads(dumps(values))) == values
