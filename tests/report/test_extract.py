"""Picking a paper's key claims: which sections, how sentences score, and how each is
rewritten to stand alone. Hand-written papers only."""

from __future__ import annotations

import pytest

from synth.core.settings import Settings
from synth.core.types import Paper, Passage, SourceKind
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.parsing.structure import sentences_page, structure_pages
from synth.report.extract import (
    Attribution,
    attribution,
    candidates,
    decontextualise,
    is_key_section,
    key_claims,
    score_sentence,
    surname,
)

FULL_TEXT = [
    [
        "Abstract",
        "We present a study of urban bee colonies. Rooftop hives produce 30% more honey "
        "than rural hives.",
        "",
        "1 Introduction",
        "Bees have been kept in cities for centuries. Urban hives raise yields in many towns.",
    ],
    [
        "4 Results",
        "Our rooftop colonies showed higher winter survival than rural ones. Why might that be?",
        "",
        "5 Conclusion",
        "City bees visit many kinds of flowers.",
    ],
]


def paper(authors: tuple[str, ...] = (), year: int | None = None, title: str = "") -> Paper:
    return Paper(id="p_1", paper_id="2101.00001", source=SourceKind.TEXT, title=title,
                 authors=authors, year=year)  # fmt: skip


def passages(pages: list[list[str]]) -> list[Passage]:
    return [
        p for page in structure_pages(pages) for p in chunk_page(page, "bees", Settings().chunk)
    ]


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("Abstract", True), ("4 Results", True), ("5. Conclusions", True),
        ("## Discussion", True), ("3.2 Experiments on bees", True), ("1 Introduction", False),
        ("2 Method", False), ("Front matter", False),
    ],
)  # fmt: skip
def test_key_sections(section: str, key: bool) -> None:
    assert is_key_section(section) is key


def test_candidates_come_from_key_sections_in_document_order() -> None:
    found = [sentence for _, sentence in candidates(passages(FULL_TEXT))]
    assert found == [
        "We present a study of urban bee colonies.",
        "Rooftop hives produce 30% more honey than rural hives.",
        "Our rooftop colonies showed higher winter survival than rural ones.",
        "Why might that be?",
        "City bees visit many kinds of flowers.",
    ]


def test_without_key_sections_every_passage_is_a_candidate() -> None:
    found = candidates(passages([["Bees dance to share the way to food. Bees dance longer."]]))
    assert [s for _, s in found] == ["Bees dance to share the way to food.", "Bees dance longer."]
    assert found[0][0].section == "Front matter"


def test_numbers_outrank_finding_verbs_which_outrank_plain_sentences() -> None:
    number = score_sentence("Rooftop hives produce 30% more honey than rural hives in the city.")
    verb = score_sentence("Rooftop hives improve honey yields across every city we visited.")
    plain = score_sentence("Rooftop hives sit on flat roofs in the middle of the city.")
    assert number > verb > plain >= 0


@pytest.mark.parametrize(
    "sentence",
    [
        "In this paper we present a new way of keeping bees on roofs.",
        "Do rooftop hives produce more honey than rural ones?",
        "Bees help.",
        "Hives were studied before [3, 4] [7] [12] [15].",
        "Urban beekeeping has been widely studied (Hart et al., 2019; Osei, 2020).",
        " ".join(["Bees visit flowers"] * 20) + ".",
    ],
)
def test_background_setup_questions_fragments_and_citations_score_below_zero(
    sentence: str,
) -> None:
    assert score_sentence(sentence) < 0


def test_key_claims_are_the_best_in_document_order_with_their_passage() -> None:
    claims = key_claims(paper(("Lin Hart",), 2020), passages(FULL_TEXT), limit=2)
    assert [c.sentence for c in claims] == [
        "Rooftop hives produce 30% more honey than rural hives.",
        "Our rooftop colonies showed higher winter survival than rural ones.",
    ]
    assert claims[1].text == (
        "The rooftop colonies of Hart (2020) showed higher winter survival than rural ones."
    )
    assert claims[1].passage.page_start == 2 and claims[1].passage.section == "4 Results"
    assert claims[1].sentence in claims[1].passage.text


def test_an_abstract_only_paper_gives_claims_from_its_abstract() -> None:
    page = sentences_page(["We find that bees prefer blue flowers.", "Is colour all that matters?"])
    claims = key_claims(paper(("Ada Crane", "Tom Vale"), 2022),
                        chunk_page(page, "bees", Settings().chunk), limit=6)  # fmt: skip
    assert [c.text for c in claims] == ["Crane and Vale (2022) find that bees prefer blue flowers."]


def test_no_passages_no_claims() -> None:
    assert key_claims(paper(), [], limit=3) == []


@pytest.mark.parametrize(
    ("authors", "year", "title", "expected"),
    [
        (("Jason Phang", "Iacer Calixto", "Phu Mon Htut"), 2020, "", ("Phang et al. (2020)", True)),
        (("Ada Crane", "Tom Vale"), 2022, "", ("Crane and Vale (2022)", True)),
        (("Crane, Ada",), 2022, "", ("Crane (2022)", False)),
        (("Ludwig van Beethoven",), None, "", ("van Beethoven", False)),
        ((), 2021, "Bees in Cities", ("“Bees in Cities” (2021)", False)),
        ((), None, "", ("2101.00001", False)),
    ],
)  # fmt: skip
def test_attribution(
    authors: tuple[str, ...], year: int | None, title: str, expected: tuple[str, bool]
) -> None:
    assert attribution(paper(authors, year, title)) == Attribution(*expected)


def test_surname_drops_suffixes() -> None:
    assert surname("Martin Luther King Jr.") == "King"


PLURAL = Attribution("Phang et al. (2020)", plural=True)
SINGLE = Attribution("Hart (2020)", plural=False)


@pytest.mark.parametrize(
    ("sentence", "who", "expected"),
    [
        ("We find that X helps Y.", PLURAL, "Phang et al. (2020) find that X helps Y."),
        ("We find that X helps Y.", SINGLE, "Hart (2020) finds that X helps Y."),
        ("Our best model reaches 80.1 on Z.", PLURAL,
         "The best model of Phang et al. (2020) reaches 80.1 on Z."),
        ("In this work, we show that X helps.", PLURAL, "Phang et al. (2020) show that X helps."),
        ("In this paper we study X.", SINGLE, "Hart (2020) studies X."),
        ("Finally, we also observe small gains.", SINGLE, "Hart (2020) also observes small gains."),
        ("Overall, we found no effect.", SINGLE, "Hart (2020) found no effect."),
        ("We have shown that X helps.", SINGLE, "Hart (2020) has shown that X helps."),
        ("This paper shows that X helps.", PLURAL, "Phang et al. (2020) show that X helps."),
        ("This study has two parts.", PLURAL, "Phang et al. (2020) have two parts."),
        ("We apply X and we find that it helps our models.", SINGLE,
         "Hart (2020) applies X and they find that it helps their models."),
        ("On Z, our method consistently outperforms the baseline.", PLURAL,
         "On Z, the method of Phang et al. (2020) consistently outperforms the baseline."),
        ("We show, in this paper, that X helps.", PLURAL, "Phang et al. (2020) show that X helps."),
        ("Our gains are large on Z.", PLURAL, "The gains of Phang et al. (2020) are large on Z."),
        ("This allows us to train faster.", SINGLE, "This allows Hart (2020) to train faster."),
        ("X improves Y by 5 points.", PLURAL, "X improves Y by 5 points."),
    ],
)  # fmt: skip
def test_decontextualise(sentence: str, who: Attribution, expected: str) -> None:
    assert decontextualise(sentence, who) == expected


def test_an_unclear_noun_phrase_falls_back_to_the_possessive() -> None:
    text = decontextualise("Our very long bee hive colony design wins.", PLURAL)
    assert text == "Phang et al. (2020)'s very long bee hive colony design wins."
