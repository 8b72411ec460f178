"""Numeric consistency: extracting quantities, matching them within rounding, and the status
of a claim's numbers against its evidence. Expectations are worked out by hand."""

from __future__ import annotations

import pytest

from synth.core.types import NumericCheck as TypesNumericCheck
from synth.verify.numeric import (
    NumericCheck,
    NumericStatus,
    Quantity,
    check_numbers,
    extract_quantities,
    quantities_match,
)


def _q(text: str) -> Quantity:
    """The one quantity of ``text``."""
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


def _parts(text: str) -> list[tuple[float, str | None, str, int]]:
    return [(q.value, q.unit, q.text, q.decimals) for q in extract_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # bare numbers, decimals, thousands separators, signs
        ("accuracy of 88", [(88.0, None, "88", 0)]),
        ("an F1 of 88.53", [(88.53, None, "88.53", 2)]),
        ("a .5 margin", [(0.5, None, ".5", 1)]),
        ("5,000 examples", [(5000.0, None, "5,000", 0)]),
        ("100,000,000 tokens", [(1e8, None, "100,000,000", 0)]),
        ("a change of +5.4", [(5.4, None, "+5.4", 1)]),
        ("a change of −2.1", [(-2.1, None, "−2.1", 1)]),  # unicode minus
        ("a change of -2.1", [(-2.1, None, "-2.1", 1)]),
        # percentages
        ("72%", [(72.0, "%", "72%", 0)]),
        ("72 %", [(72.0, "%", "72 %", 0)]),
        ("72 percent", [(72.0, "%", "72 percent", 0)]),
        ("72.5 per cent", [(72.5, "%", "72.5 per cent", 1)]),
        ("72-percent", [(72.0, "%", "72-percent", 0)]),
        # points
        ("5.4 points", [(5.4, "points", "5.4 points", 1)]),
        ("1 point", [(1.0, "points", "1 point", 0)]),
        ("5.4 pp", [(5.4, "points", "5.4 pp", 1)]),
        ("5.4pp", [(5.4, "points", "5.4pp", 1)]),
        ("5 p.p. better", [(5.0, "points", "5 p.p.", 0)]),
        ("3 percentage points", [(3.0, "points", "3 percentage points", 0)]),
        ("2 pts", [(2.0, "points", "2 pts", 0)]),
        ("5.4% points", [(5.4, "points", "5.4% points", 1)]),
        ("a 5.4-point gain", [(5.4, "points", "5.4-point", 1)]),
        # multipliers
        ("3x faster", [(3.0, "x", "3x", 0)]),
        ("3× faster", [(3.0, "x", "3×", 0)]),
        ("2.5 × faster", [(2.5, "x", "2.5 ×", 1)]),
        ("a 3-fold speedup", [(3.0, "x", "3-fold", 0)]),
        ("3 fold", [(3.0, "x", "3 fold", 0)]),
        ("3 times faster", [(3.0, "x", "3 times", 0)]),
        # k/K/M/B suffixes and words: counts, precision scaled by the suffix
        ("1.5k examples", [(1500.0, None, "1.5k", -2)]),
        ("1.5K examples", [(1500.0, None, "1.5K", -2)]),
        ("a 7B model", [(7e9, None, "7B", -9)]),
        ("110M parameters", [(1.1e8, None, "110M", -6)]),
        ("1.5 million pairs", [(1.5e6, None, "1.5 million", -5)]),
        # ranges: both ends, the first takes the second's unit and suffix
        ("5–10%", [(5.0, "%", "5", 0), (10.0, "%", "10%", 0)]),
        ("5-10%", [(5.0, "%", "5", 0), (10.0, "%", "10%", 0)]),
        ("5 — 10 %", [(5.0, "%", "5", 0), (10.0, "%", "10 %", 0)]),
        ("from 5 to 10 points", [(5.0, "points", "5", 0), (10.0, "points", "10 points", 0)]),
        ("5-10 runs", [(5.0, None, "5", 0), (10.0, None, "10", 0)]),
        ("2k–3k", [(2000.0, None, "2k", -3), (3000.0, None, "3k", -3)]),
        ("1-2B", [(1e9, None, "1", -9), (2e9, None, "2B", -9)]),
        ("−5 to −3%", [(-5.0, "%", "−5", 0), (-3.0, "%", "−3%", 0)]),
        ("from 72% to 80", [(72.0, "%", "72%", 0), (80.0, None, "80", 0)]),
        ("5 -2", [(5.0, None, "5", 0), (-2.0, None, "-2", 0)]),  # a sign, not a range
        # several in one sentence, in order
        (
            "XLM-R gains 5.4 points (72.3% vs 66.9%) with 3x less data",
            [
                (5.4, "points", "5.4 points", 1),
                (72.3, "%", "72.3%", 1),
                (66.9, "%", "66.9%", 1),
                (3.0, "x", "3x", 0),
            ],
        ),
        ("Tables 3 and 4 show that 72% of", [(72.0, "%", "72%", 0)]),
        ("in Table 3, 72% of", [(72.0, "%", "72%", 0)]),
        ("5-shot and 8-bit", [(5.0, None, "5", 0), (8.0, None, "8", 0)]),
    ],
)
def test_extract_quantities(text: str, expected: list[tuple[float, str | None, str, int]]) -> None:
    assert _parts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "XLM-R Large",
        "GPT-3 and GPT-3.5",
        "T5 and L6 and Layer14",
        "BERT-base and RoBERTa-large",
        "Llama-2-7B and COVID-19 and top-5",
        "arXiv:2005.13013",
        "see 2005.13013v2.",
        "hep-th/9901001",
        "doi:10.18653/v1/2020.acl-main.747",
        "https://example.org/papers/12345",
        "published in 2020",
        "between 1999 and 2021",
        "2019-2020",
        "(Smith et al., 2020a; Doe, 1999)",
        "as shown before [12]",
        "prior work [3, 7-9]",
        "Section 4.2",
        "section 4.2.1.",
        "Sec. 3",
        "§4",
        "Table 3",
        "Tab. 3",
        "Figure 2",
        "Fig. 2a",
        "Figs. 2-4",
        "Eq. 5",
        "Eq. (5)",
        "Equation 12",
        "Appendix 2",
        "Algorithm 1, lines 3-5",
        "Theorem 1 and Lemma 2",
        "a 3D model",
        "the 5th layer and the 1st run",
        "version 1.2.3",
        "0x1F",
        "1e-5",
        "a 3×3 grid",
    ],
)
def test_numbers_in_names_are_ignored(text: str) -> None:
    assert extract_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("in 2020 it reached 72%", ["72%"]),
        ("2020 examples", []),  # a bare 4-digit 1900-2099 is read as a year
        ("2,020 examples", ["2,020"]),  # written with a separator: a count
        ("2020%", ["2020%"]),  # with a unit: not a year
        ("+2020", ["+2020"]),  # signed: not a year
        ("1899 examples", ["1899"]),
        ("2100 examples", ["2100"]),
        ("2020.5", ["2020.5"]),
    ],
)
def test_years(text: str, kept: list[str]) -> None:
    assert [q.text for q in extract_quantities(text)] == kept


def test_empty_text() -> None:
    assert extract_quantities("") == []
    assert extract_quantities("no numbers here.") == []


@pytest.mark.parametrize(
    ("claim", "evidence", "expected"),
    [
        # tolerance: half a unit in the last place of the less precise of the two
        ("5.4", "5.4", True),
        ("5.4", "5.38", True),  # |0.02| <= 0.05
        ("5.4", "5.45", False),  # half-way: 5.45 does not round to 5.4 for certain
        ("5.4", "5.46", False),
        ("5.4", "5.6", False),
        ("5", "5.4", True),  # 0 decimals: tolerance 0.5
        ("5", "5.5", False),  # half-way is not a match
        ("5", "5.6", False),
        ("5.40", "5.4", True),
        ("5.40", "5.404", True),  # tolerance from the 2-decimal side: 0.005
        ("5.40", "5.41", False),
        ("1.5k", "1,520", True),  # "1.5k" is good to +-50
        ("1.5k", "1,560", False),
        ("7B", "6.7B", True),  # tolerance 5e8
        ("1,500", "1.5k", True),
    ],
)
def test_tolerance(claim: str, evidence: str, expected: bool) -> None:
    assert quantities_match(_q(claim), _q(evidence)) is expected
    assert quantities_match(_q(evidence), _q(claim)) is expected  # symmetric


@pytest.mark.parametrize(
    ("claim", "evidence", "expected"),
    [
        ("72%", "72", True),  # a bare number takes any unit
        ("72", "72%", True),
        ("3x", "3", True),
        ("5.4 points", "5.4%", True),  # points and % are interchangeable
        ("5.4%", "5.4 pp", True),
        ("3x", "3%", False),
        ("3x", "3 points", False),
        ("72%", "0.72", True),  # % vs fraction
        ("0.72", "72%", True),
        ("72.3%", "0.723", True),
        ("72%", "0.723", True),  # 72 vs 72.3: tolerance 0.5
        ("72%", "0.73", False),
        ("5.4 points", "0.054", True),
        ("100%", "1", False),  # a bare integer is not read as a fraction
        ("0%", "0", True),
        ("72x", "0.72", False),
        ("72%", "1.72", False),  # not a fraction
    ],
)
def test_units(claim: str, evidence: str, expected: bool) -> None:
    assert quantities_match(_q(claim), _q(evidence)) is expected


@pytest.mark.parametrize(
    ("claim", "evidence", "expected"),
    [
        ("+5.4 points", "-5.4", False),
        ("5.4 points", "−5.4 points", False),
        ("−2.1", "2.1", False),
        ("−2.1", "-2.1", True),  # unicode minus and hyphen are the same sign
        ("5.4", "+5.4", True),
        ("+5.4", "5.4", True),
    ],
)
def test_sign(claim: str, evidence: str, expected: bool) -> None:
    assert quantities_match(_q(claim), _q(evidence)) is expected


CLAIM = "XLM-R Large gains 5.4 points on XTREME"


def test_consistent() -> None:
    check = check_numbers(CLAIM, ["improves XLM-R Large by 5.4 points"])
    assert check == NumericCheck(
        status=NumericStatus.CONSISTENT,
        claim_quantities=("5.4 points",),
        matched=("5.4 points",),
    )


def test_contradicted() -> None:
    check = check_numbers(CLAIM, ["improves XLM-R Large by 3.1 points"])
    assert check == NumericCheck(
        status=NumericStatus.CONTRADICTED,
        claim_quantities=("5.4 points",),
        missing=("5.4 points",),
        conflicting=("3.1 points",),
    )


def test_missing() -> None:
    check = check_numbers(CLAIM, ["XLM-R Large improves results on XTREME."])
    assert check == NumericCheck(
        status=NumericStatus.MISSING, claim_quantities=("5.4 points",), missing=("5.4 points",)
    )


@pytest.mark.parametrize(
    "claim",
    [
        "XLM-R Large improves cross-lingual transfer.",
        "GPT-3 was released in 2020.",
        "T5 outperforms BERT-base (Section 4.2, Table 3) [12].",
        "",
    ],
)
def test_no_numbers(claim: str) -> None:
    check = check_numbers(claim, ["XLM-R gains 5.4 points in 2020."])
    assert check == NumericCheck(status=NumericStatus.NO_NUMBERS)


@pytest.mark.parametrize(
    ("claim", "evidence", "status", "conflicting"),
    [
        # every claim quantity somewhere in some evidence text
        ("gains 5.4 points, 72% accuracy", ["72.0% accuracy", "gains +5.4"], "consistent", ()),
        ("accuracy rises to 72%", ["accuracy 0.72"], "consistent", ()),
        ("improves by 5.4%", ["a 5.4 point gain"], "consistent", ()),
        ("3x faster", ["3 times faster"], "consistent", ()),
        # no evidence at all
        (CLAIM, [], "missing", ()),
        # a missing count (no unit) never contradicts
        ("trained on 12 languages", ["trained on 15 languages"], "missing", ()),
        # a different unit is no contradiction
        ("3x faster", ["72% accuracy"], "missing", ()),
        ("72% accuracy", ["3x faster"], "missing", ()),
        # evidence with a bare number does not contradict a unit
        ("72% accuracy", ["accuracy 80"], "missing", ()),
        # % and points contradict each other
        ("gains 5.4 points", ["gains 3.1%"], "contradicted", ("3.1%",)),
        ("3x faster", ["a 2-fold speedup", "2.4×"], "contradicted", ("2-fold", "2.4×")),
        ("3x faster", ["a 2.5× speedup"], "contradicted", ("2.5×",)),  # half-way: no match
        ("3x faster", ["a 2.6× speedup"], "consistent", ()),  # 2.6 rounds to 3
        # the sign as written
        ("improves by +5.4 points", ["changes by -5.4 points"], "contradicted", ("-5.4 points",)),
        # ranges: 5 matches, 10 does not
        ("5–10%", ["5–12%"], "contradicted", ("12%",)),
        # an evidence value matched by another claim quantity is no conflict
        ("gains 5.4 points to reach 72%", ["gains 5.4 points"], "missing", ()),
        (
            "gains 5.4 points to reach 72%",
            ["gains 5.4 points", "reaches 70.1% and 80%"],
            "contradicted",
            ("70.1%", "80%"),
        ),
        # numbers in names on either side are not compared
        ("GPT-3 reaches 72% (Table 3)", ["GPT-3 (2020) reaches 72% [4]"], "consistent", ()),
    ],
)
def test_check_numbers_status(
    claim: str, evidence: list[str], status: str, conflicting: tuple[str, ...]
) -> None:
    check = check_numbers(claim, evidence)
    assert check.status == NumericStatus(status)
    assert check.conflicting == conflicting


def test_check_lists_every_quantity_once() -> None:
    check = check_numbers(
        "gains 5.4 points, 5.4 points again, and 3x speed at 72%",
        ["gains 5.4 points", "at 72.0%", "a 2x speedup"],
    )
    assert check.status is NumericStatus.CONTRADICTED
    assert check.claim_quantities == ("5.4 points", "3x", "72%")
    assert check.matched == ("5.4 points", "72%")
    assert check.missing == ("3x",)
    assert check.conflicting == ("2x",)


def test_evidence_may_be_one_string() -> None:
    assert check_numbers(CLAIM, "by 5.4 points").status is NumericStatus.CONSISTENT


def test_check_is_the_record_verdicts_carry() -> None:
    check = check_numbers(CLAIM, ["XLM-R Large gains 3.1 points on XTREME"])
    assert isinstance(check, TypesNumericCheck)
    assert check.model_dump(mode="json")["status"] == "contradicted"


PHANG = (
    "Using our best intermediate-task models for each target task, we obtain a 5.4 point "
    "improvement over XLM-R Large on the XTREME benchmark, setting the state of the art."
)
XLMR = (
    "XLM-R significantly outperforms multilingual BERT (mBERT) on a variety of cross-lingual "
    "benchmarks, including +14.6% average accuracy on XNLI, +13% average F1 score on MLQA, "
    "and +2.4% F1 score on NER. XLM-R performs particularly well on low-resource languages, "
    "improving 15.7% in XNLI accuracy for Swahili and 11.4% for Urdu over previous XLM models."
)


@pytest.mark.parametrize(
    ("claim", "evidence", "status", "conflicting"),
    [
        # another quantity (the best models, not multi-task training): no refutation
        ("Multi-task training improves by 8.7 points.", PHANG, "missing", ()),
        # the same result with another value: refuted
        ("Intermediate-task training improves XLM-R Large by 8.2 points on XTREME.", PHANG,
         "contradicted", ("5.4 point",)),
        ("Intermediate-task training improves XLM-R Large by 5.4 points on XTREME.", PHANG,
         "consistent", ()),
        # two numbers in one sentence: each goes with the words nearest to it
        ("XLM-R improves Urdu by 20.1%.", XLMR, "contradicted", ("11.4%",)),
        ("XLM-R improves Urdu by 15.7%.", XLMR, "contradicted", ("11.4%",)),
        ("XLM-R improves XNLI accuracy for Swahili by 25.3%.", XLMR, "contradicted", ("15.7%",)),
        ("XLM-R improves Urdu by 11.4%.", XLMR, "consistent", ()),
        ("XLM-R outperforms multilingual BERT by 14.6% average accuracy on XNLI.", XLMR,
         "consistent", ()),
        # a sentence about something else says nothing about this quantity
        ("XLM-R improves Urdu by 20.1%.", "The model gains 3% on German.", "missing", ()),
    ],
)  # fmt: skip
def test_quantities_are_compared_only_about_the_same_subject(
    claim: str, evidence: str, status: str, conflicting: tuple[str, ...]
) -> None:
    check = check_numbers(claim, [evidence])
    assert (check.status, check.conflicting) == (NumericStatus(status), conflicting)


def test_subject_words_leave_out_change_and_measure_words() -> None:
    from synth.verify.numeric import subject_words

    assert subject_words("Intermediate-task training improves XLM-R by 8.2 points") == {
        "intermediate-task", "train", "xlm-r"
    }  # fmt: skip
    assert subject_words("3x faster at 72% [12], Table 3") == set()


_CELL = "Table 2, No MLM, HellaSwag, Target tasks BUCC (F1): +20.4 (relative to XLM-R 71.5)."


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        ("Without MLM, HellaSwag improves BUCC by 20.4 points.", NumericStatus.CONSISTENT),
        ("Without MLM, HellaSwag improves BUCC by 25.0 points.", NumericStatus.CONTRADICTED),
        # a bare count against its cell: the cell is that row and column's one value
        ("Without MLM, HellaSwag improves BUCC by 25.0.", NumericStatus.CONTRADICTED),
    ],
)
def test_a_table_cell_states_its_quantity_even_bare(claim: str, status: NumericStatus) -> None:
    assert check_numbers(claim, [_CELL]).status is status


def test_a_cell_s_baseline_is_not_its_value() -> None:
    check = check_numbers("Without MLM, HellaSwag improves BUCC by 25.0 points.", [_CELL])
    assert check.conflicting == ("+20.4",)


def test_a_cell_about_another_subject_neither_matches_nor_contradicts() -> None:
    cell = "Table 1, Intermediate tasks, CommonsenseQA, |Train|: 9,741."
    claim = "SQuAD has 9,741 questions in its development set."
    assert check_numbers(claim, [cell]).status is NumericStatus.MISSING


def test_a_count_in_a_cell_refutes_another_count() -> None:
    cell = "Table 1, Intermediate tasks, CommonsenseQA, |Train|: 9,741."
    assert check_numbers("CommonsenseQA has 9,741 training examples.", [cell]).status is (
        NumericStatus.CONSISTENT
    )
    assert check_numbers("CommonsenseQA has 12,000 training examples.", [cell]).status is (
        NumericStatus.CONTRADICTED
    )
