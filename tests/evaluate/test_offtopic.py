"""The off-topic runner: reading claim files (SciFact-format JSONL, HealthVer-style CSV) and
checking their claims against the SciFact fixture corpus with fakes whose every verdict is
known, so the NOT_ENOUGH_INFO share and the decisive verdicts are checked exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from fakes import HashingEmbedder, PhraseScorer, Recorder

from synth.check.checker import Checker
from synth.core.errors import SynthError
from synth.core.settings import Settings
from synth.corpus.sources.scifact import read_claims
from synth.corpus.store import Store
from synth.evaluate.offtopic import SHOWN, evaluate_offtopic, read_claim_texts
from synth.retrieval.search import Retriever

RULES = {
    "Sleep onset came 12|warm bath": (0.9, 0.05, 0.05),
    "Afternoon coffee lowered|Afternoon coffee improves": (0.1, 0.1, 0.8),
}


@pytest.fixture
def store(scifact_store: Store) -> Store:
    return scifact_store


def checker(store: Store, rules: dict[str, tuple[float, float, float]] = RULES) -> Checker:
    settings = Settings()
    return Checker(store, Retriever(store, HashingEmbedder(), settings), PhraseScorer(rules),
                   settings)  # fmt: skip


# --- reading the claims -------------------------------------------------------------------


def test_jsonl_claims_are_distinct_normalised_and_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text(
        '{"id": 1, "claim": "  Warm baths\\n   help   sleep. "}\n'
        "\n"
        '{"id": 2, "claim": "Coffee harms memory."}\n'
        '{"id": 3, "claim": "Warm baths help sleep."}\n'  # the first claim again
        '{"id": 4}\n'  # no claim
        '{"id": 5, "claim": "   "}\n'  # a blank one
        '{"id": 6, "claim": "Noise slows reading."}\n',
        encoding="utf-8",
    )
    assert read_claim_texts(path) == [
        "Warm baths help sleep.", "Coffee harms memory.", "Noise slows reading.",
    ]  # fmt: skip


def test_the_scifact_fixture_gives_its_ten_claims() -> None:
    path = FIXTURES / "scifact" / "claims.jsonl"
    texts = read_claim_texts(path)
    assert texts == [c.claim for c in read_claims(path)] and len(texts) == 10


def test_csv_claims_with_a_bom_repeated_claims_and_an_upper_case_suffix(tmp_path: Path) -> None:
    # HealthVer pairs one claim with several evidence texts: the claim is read once
    path = tmp_path / "healthver.CSV"
    path.write_text(
        "id,evidence,claim,label\n"
        '1,Masks filter droplets.,"Masks reduce\n  the spread.",Supports\n'
        "2,Cloth masks leak.,Masks reduce the spread.,Refutes\n"
        "3,Zinc was not tested.,,Neutral\n"
        "4,Vitamin D trials were small.,Vitamin D prevents colds.,Neutral\n",
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_claim_texts(path) == ["Masks reduce the spread.", "Vitamin D prevents colds."]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("no-column.csv", b"id,evidence,label\n1,Masks work.,Supports\n", "no claim column"),
        ("empty.csv", b"", "no claim column"),
        ("header-only.csv", b"id,claim,label\n", "no claims"),
        ("blank-claims.csv", b"id,claim\n1,  \n2,\n", "no claims"),
        ("latin1.csv", b"id,claim\n1,Caf\xe9 helps.\n", "cannot read the claims"),
        ("empty.jsonl", b"", "no claims"),
        ("no-claims.jsonl", b'{"id": 1}\n{"id": 2, "claim": ""}\n', "no claims"),
        ("broken.jsonl", b'{"id": 1, "claim": "Fine."}\n{"id": 2, \n', r"\.jsonl:2: not JSON"),
        ("list.jsonl", b'["Not an object."]\n', "not a JSON object"),
    ],
)
def test_unusable_claim_files_are_synth_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SynthError, match=message):
        read_claim_texts(path)


@pytest.mark.parametrize(("name", "message"), [("gone.csv", "cannot read"),
                                               ("gone.jsonl", "no such file")])  # fmt: skip
def test_a_missing_claim_file_is_a_synth_error(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(SynthError, match=message):
        read_claim_texts(tmp_path / name)


# --- checking them ------------------------------------------------------------------------


def test_the_share_of_not_enough_info_and_the_decisive_verdicts(store: Store) -> None:
    check = checker(store)
    claims = [
        "Afternoon coffee improves recall scores.",  # REFUTED by 202 at 0.8
        "Zebras graze on the open savanna.",  # no rule: every sentence neutral
        "A warm bath before bed brings sleep onset 12 minutes earlier.",  # SUPPORTED by 201
        "Robots learn to walk on ice.",
    ]
    sink = Recorder()
    result = evaluate_offtopic(check, claims, sink)
    assert result["claims"] == 4
    assert result["labels"] == {"SUPPORTED": 1, "REFUTED": 1, "NOT_ENOUGH_INFO": 2}
    assert result["not_enough_info_share"] == 0.5
    assert result["decisive"] == [
        {"claim": claims[0], "label": "REFUTED", "confidence": 0.8, "paper_id": "202",
         "quote": "Afternoon coffee lowered them by 3 percent."},
        {"claim": claims[2], "label": "SUPPORTED", "confidence": 0.9, "paper_id": "201",
         "quote": "Sleep onset came 12 minutes earlier on average."},
    ]  # fmt: skip
    assert result["model"] == "phrase-scorer"
    assert result["settings_hash"] == check.settings_hash
    assert sink.updates == [("checking off-topic claims", n, 4) for n in range(1, 5)]


def test_all_off_topic_claims_left_undecided_is_a_share_of_one(store: Store) -> None:
    result = evaluate_offtopic(checker(store, {}), ["Robots learn to walk on ice."])
    assert result["labels"] == {"SUPPORTED": 0, "REFUTED": 0, "NOT_ENOUGH_INFO": 1}
    assert result["not_enough_info_share"] == 1.0 and result["decisive"] == []


def test_only_the_first_decisive_verdicts_are_listed(store: Store) -> None:
    # a rule for every premise and claim: each sentence entails at 0.9, so all are SUPPORTED
    words = ["cats", "dogs", "owls", "bees", "ants", "frogs", "goats", "mice", "rats", "crows",
             "hens", "ducks"]  # fmt: skip
    claims = [f"Warm baths help {w} sleep." for w in words]
    result = evaluate_offtopic(checker(store, {"": (0.9, 0.05, 0.05)}), claims)
    assert result["labels"]["SUPPORTED"] == len(claims) == SHOWN + 2
    assert result["not_enough_info_share"] == 0.0
    assert [d["claim"] for d in result["decisive"]] == claims[:SHOWN]


def test_a_refused_claim_is_listed_and_left_out_of_the_share(store: Store) -> None:
    french = "Les robots apprennent à marcher sur la glace avec leurs pieds."
    result = evaluate_offtopic(checker(store, {}), [french, "Robots learn to walk on ice."])
    assert result["claims"] == 1 and result["not_enough_info_share"] == 1.0
    assert list(result["refused"]) == [french]
