"""Numeric consistency: the numbers a claim states must be in its evidence.

An NLI model reads "gains 5.4 points" and "gains 3.1 points" as near-paraphrases; this check
does not. It pulls the quantities (percentages, points, multipliers, counts) out of the claim
and out of the evidence, skipping numbers that are names (GPT-3, arXiv ids, years, "Table 3",
"[12]"), and compares them within rounding tolerance. A claim whose numbers are missing from,
or contradicted by, its best evidence must not come out SUPPORTED. Pure: no I/O.

:class:`NumericStatus` and :class:`NumericCheck` live in :mod:`synth.types` (a
:class:`~synth.core.types.Verdict` carries one) and are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from synth.core.types import NumericCheck, NumericStatus

__all__ = [
    "NumericCheck",
    "NumericStatus",
    "Quantity",
    "check_numbers",
    "extract_quantities",
    "quantities_match",
]

PERCENT, POINTS, TIMES = "%", "points", "x"
_PERCENTISH = frozenset({PERCENT, POINTS})  # papers write "+5.4%" for a gain in points
_MULTIPLIERS = {"k": 3, "thousand": 3, "m": 6, "million": 6, "b": 9, "billion": 9}


@dataclass(frozen=True)
class Quantity:
    """One number as written: its signed value, canonical unit and precision.

    ``decimals`` is the digits after the point as written, less the exponent of a k/M/B
    suffix ("1.5k" -> -2), so ``0.5 * 10**-decimals`` is always its rounding half-width.
    """

    value: float
    unit: str | None
    text: str
    decimals: int
    start: int = 0  # where ``text`` starts in the text it was read from


def _end(g: str) -> str:
    """One number with its optional suffix and unit; groups named ``g``, ``gm``, ``gu``."""
    return (
        rf"(?P<{g}>[+\-−]?(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+)(?:\.\d+)?|[+\-−]?\.\d+)"
        rf"(?P<{g}m>(?-i:[kKMB])(?![A-Za-z])|\s(?:thousand|million|billion)\b)?"
        rf"(?P<{g}u>\s?%\s?points?\b|\s?%|\s?×|x\b"
        r"|(?:\s|-)?(?:percentage[\s-]points?|percent|per\scent|points?|pts?|pp|times|fold)\b"
        r"|\sp\.p\.)?"
    )


# A number not glued to a word, a dot, a "×" or an identifier's hyphen (GPT-3, L6, v1.2), then
# optionally a range's second end ("5–10%", "5-10", "5 to 10 points").
_QUANTITY = re.compile(
    r"(?<![\w.×])(?<!\w-)" + _end("a") + r"(?:(?:\s*[–—]\s*|-(?=\d)|\s+-\s+|\s+to\s+)" + _end("b")
    + ")?",
    re.IGNORECASE,
)  # fmt: skip
_REF_WORDS = (
    r"sections?|secs?\.|§+|tables?|tabs?\.|figures?|figs?\.|equations?|eqs?\.|eqn\.|appendix"
    r"|algorithms?|alg\.|theorems?|thm\.|lemmas?|propositions?|corollary|definitions?|def\."
    r"|chapters?|ch\.|footnotes?|lines?"
)
_REF_NUM = r"\(?\d+(?:\.\d+)*[a-z]?\)?"
# Spans whose digits are names, not quantities; blanked out before extraction.
_IGNORED = re.compile(
    r"https?://\S+"
    r"|\b10\.\d{4,9}/\S+"  # DOI
    r"|(?<![\w.])\d{4}\.\d{4,5}(?:v\d+)?(?!\d|\.\d)"  # arXiv id
    r"|\b[a-z][a-z\-]{0,19}+(?:\.[a-z]{2})?/\d{7}(?:v\d+)?\b"  # old-style arXiv id
    r"|\[\s*\d+(?:\s*[,;–—-]\s*\d+)*\s*\]"  # citation marker
    rf"|(?<!\w)(?:{_REF_WORDS})\s*{_REF_NUM}(?:(?:[–—-]|\s+(?:and|&)\s+){_REF_NUM})*",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_AFTER_NAME = re.compile(r"\w|\.\d")  # "3D", "5th", "1.2.3": the number is part of a name


def _unit(text: str | None) -> str | None:
    """The canonical unit of a unit's surface text (None: a bare number)."""
    u = (text or "").strip(" \t\n-").lower()
    if not u:
        return None
    if "point" in u or u in ("pp", "p.p.", "pt", "pts"):
        return POINTS
    return PERCENT if u.startswith(("%", "per")) else TIMES


def _make(
    number: str, suffix: str | None, unit: str | None, text: str, start: int
) -> Quantity | None:
    """A quantity from its parts, or None for a year (a bare 4-digit 1900-2099)."""
    if unit is None and suffix is None and _YEAR.fullmatch(number):
        return None
    negative = number.startswith(("-", "−"))
    digits = number.lstrip("+-−").replace(",", "")
    exponent = _MULTIPLIERS[suffix.strip().lower()] if suffix else 0
    decimals = len(digits.partition(".")[2]) - exponent
    value = float(digits) * 10**exponent
    return Quantity(-value if negative else value, unit, text, decimals, start)


def extract_quantities(text: str) -> list[Quantity]:
    """The quantities of ``text`` in order, ignoring numbers that are part of names, ids,
    years and references. Each end of a range is a quantity; the first takes the second's
    unit and suffix when it has none ("5–10%" -> 5 % and 10 %)."""
    masked = _IGNORED.sub(lambda m: " " * len(m.group()), text)
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(masked):
        if _AFTER_NAME.match(masked, m.end()):
            continue
        b_unit, b_suffix = _unit(m["bu"]), m["bm"]
        a_unit = _unit(m["au"]) or (b_unit if m["b"] else None)
        a_suffix = m["am"] or (b_suffix if m["b"] and not m["au"] else None)
        a_end = max(m.end("a"), m.end("am"), m.end("au"))  # -1 for a group not matched
        ends = [(m["a"], a_suffix, a_unit, text[m.start() : a_end], m.start())]
        if m["b"]:
            ends.append((m["b"], b_suffix, b_unit, text[m.start("b") : m.end()], m.start("b")))
        out.extend(q for q in (_make(*end) for end in ends) if q is not None)
    return out


def _close(a: float, a_dec: int, b: float, b_dec: int) -> bool:
    """Equal within the rounding of the less precise of the two: the more precise value
    rounds to the other (5.38 ~ 5.4, 5.4 ~ 5), a value half-way between does not (3.5 vs 3)."""
    return abs(a - b) < 0.5 * 10.0 ** (-min(a_dec, b_dec)) - 1e-9


def _compatible(a: str | None, b: str | None) -> bool:
    """Units that may name the same value: equal, either bare, or % and points."""
    return a is None or b is None or a == b or {a, b} <= _PERCENTISH


def _as_percent(q: Quantity) -> tuple[float, int] | None:
    """A bare fraction written with decimals ("0.72") as a percentage (72, 0 decimals)."""
    if q.unit is None and q.decimals > 0 and abs(q.value) <= 1:
        return q.value * 100, q.decimals - 2
    return None


def quantities_match(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities state the same value: compatible units, equal signed values
    within rounding, or a percentage against the same bare fraction."""
    if not _compatible(a.unit, b.unit):
        return False
    if _close(a.value, a.decimals, b.value, b.decimals):
        return True
    for pct, frac in ((a, b), (b, a)):
        converted = _as_percent(frac)
        if pct.unit in _PERCENTISH and converted is not None:
            return _close(pct.value, pct.decimals, *converted)
    return False


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(texts))


# Words that say how a quantity changed or what it is, not what it is about: a claim's other
# content words name its subject ("what is measured, on what, by whom").
_GENERIC = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "by",
        "to",
        "for",
        "from",
        "with",
        "over",
        "than",
        "and",
        "or",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "our",
        "we",
        "they",
        "which",
        "who",
        "into",
        "up",
        "down",
        "per",
        "vs",
        "via",
        "both",
        "each",
        "all",
        "any",
        "some",
        "more",
        "less",
        "most",
        "least",
        "fewer",
        "new",
        "compared",
        "relative",
        "average",
        "mean",
        "total",
        "overall",
        "improve",
        "improves",
        "improved",
        "improving",
        "improvement",
        "improvements",
        "gain",
        "gains",
        "gained",
        "increase",
        "increases",
        "increased",
        "increasing",
        "decrease",
        "decreases",
        "decreased",
        "reduce",
        "reduces",
        "reduced",
        "reduction",
        "boost",
        "boosts",
        "boosted",
        "outperform",
        "outperforms",
        "outperformed",
        "achieve",
        "achieves",
        "achieved",
        "reach",
        "reaches",
        "reached",
        "obtain",
        "obtains",
        "obtained",
        "yield",
        "yields",
        "yielded",
        "get",
        "gets",
        "got",
        "show",
        "shows",
        "showed",
        "shown",
        "lead",
        "leads",
        "led",
        "result",
        "results",
        "score",
        "scores",
        "performance",
        "perform",
        "performs",
        "higher",
        "lower",
        "better",
        "worse",
        "faster",
        "slower",
        "larger",
        "smaller",
        "bigger",
        "greater",
        "point",
        "points",
        "percent",
        "percentage",
        "times",
        "fold",
        "about",
        "around",
        "approximately",
        "nearly",
        "almost",
        "roughly",
        "only",
        "also",
        "when",
        "again",
        "speed",
        "speedup",
    ]
)
_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*")
SAME_SUBJECT = 0.6  # least share of the claim's subject words a sentence must hold
# Evidence read per text: passages are a few sentences (a paragraph of context at most), and
# comparing every claim number with every evidence number must stay cheap on a run of digits.
MAX_EVIDENCE_CHARS = 5_000


def _stem(word: str) -> str:
    for suffix in ("ments", "ment", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> list[tuple[str, int]]:
    """(stem, offset) of each content word of ``text``; numbers, ids and references are
    blanked first, so "3x" gives no word "x"."""
    masked = _IGNORED.sub(lambda m: " " * len(m.group()), text.lower())
    masked = _QUANTITY.sub(lambda m: " " * len(m.group()), masked)
    return [(_stem(m.group()), m.start()) for m in _WORD.finditer(masked)
            if m.group() not in _GENERIC]  # fmt: skip


def subject_words(text: str) -> frozenset[str]:
    """The stems of ``text``'s content words, without the words of change and measure."""
    return frozenset(w for w, _ in _words(text))


_CLAUSE = re.compile(r"[,;:]\s+|(?<!\s)\s+(?:and|while|whereas|but)\s+")
# A table cell stated as a sentence (synth.corpus.parsing.table_text): "Table 2, No MLM,
# HellaSwag, Target tasks BUCC (F1): +20.4 (relative to XLM-R 71.5)." Its value, before any
# baseline, is the one number of that row and column, in the column's unit, bare or not.
_CELL = re.compile(r"Table [^\s,]{1,12}, [^:\n]{1,400}: ")
_BASELINE = " (relative to "


@dataclass(frozen=True)
class _Found:
    """An evidence quantity, the share of the claim's subject words its sentence holds,
    whether it is the number of its sentence those words go with, and whether it is a table
    cell's value (which states its row and column's quantity even when written bare)."""

    quantity: Quantity
    coverage: float
    attached: bool
    cell: bool = False


def _clause_of(cuts: Sequence[int], at: int) -> int:
    """The index of the clause holding offset ``at`` (clauses start at ``cuts``)."""
    return max(i for i, cut in enumerate(cuts) if cut <= at)


def _evidence_quantities(subject: frozenset[str], text: str) -> list[_Found]:
    """Each quantity of ``text`` with its sentence's coverage of the claim's subject, and
    attached when, among its sentence's numbers in a unit, it is the one whose clause holds
    the most subject words (then the nearest to one): in "15.7% for Swahili and 11.4% for
    Urdu", Urdu's number is 11.4%."""
    from synth.corpus.parsing.chunk import split_sentences  # pure; kept out of module import

    out: list[_Found] = []
    for start, end in split_sentences(text) or [(0, len(text))]:
        sentence = text[start:end]
        quantities = extract_quantities(sentence)
        value = _cell_value(sentence)
        if not subject:
            out += [_Found(q, 1.0, True, q.start in value) for q in quantities]
            continue
        words = [at for w, at in _words(sentence) if w in subject]
        coverage = len({w for w, _ in _words(sentence) if w in subject}) / len(subject)
        cuts = [0, *(m.end() for m in _CLAUSE.finditer(sentence))]
        pull = {
            id(q): (
                sum(_clause_of(cuts, at) == _clause_of(cuts, q.start) for at in words),
                -min((abs(at - q.start) for at in words), default=len(sentence)),
            )
            for q in quantities
        }
        for q in quantities:
            rivals = [
                r for r in quantities
                if r is not q and r.unit is not None and _compatible(r.unit, q.unit)
            ]  # fmt: skip
            attached = all(pull[id(q)] >= pull[id(r)] for r in rivals)
            out.append(_Found(q, coverage, attached, q.start in value))
    return out


def _cell_value(sentence: str) -> range:
    """Where a table cell's value lies in its sentence (empty for any other sentence)."""
    lead = _CELL.match(sentence)
    if lead is None:
        return range(0)
    end = sentence.find(_BASELINE, lead.end())
    return range(lead.end(), end if end >= 0 else len(sentence))


def check_numbers(claim: str, evidence: Sequence[str]) -> NumericCheck:
    """Compare the claim's quantities with those of the evidence texts.

    A claim quantity is matched by an evidence quantity of the same value about the same
    subject (see :func:`subject_words`), or, when the evidence states nothing about that
    subject, by the same value anywhere. It is contradicted when it has a unit and the
    evidence states, about the same subject and in a compatible unit, another value that no
    claim quantity accounts for (those are ``conflicting``): "8.7 points from multi-task
    training" is not contradicted by "the best models gain 5.4 points". A table cell's value
    is its row and column's quantity, so it contradicts without a unit on either side, and
    it never matches a claim about another subject. CONSISTENT when
    every claim quantity is matched; CONTRADICTED when one is contradicted; MISSING
    otherwise. A claim with no subject words ("gains 5 points") compares with every
    evidence quantity."""
    given = (evidence,) if isinstance(evidence, str) else evidence
    texts = [text[:MAX_EVIDENCE_CHARS] for text in given]
    stated = extract_quantities(claim)
    if not stated:
        return NumericCheck(status=NumericStatus.NO_NUMBERS)
    subject = subject_words(claim)
    found = [f for t in texts for f in _evidence_quantities(subject, t)]
    unused = [f for f in found if not any(quantities_match(c, f.quantity) for c in stated)]
    matched: list[Quantity] = []
    conflicting: list[Quantity] = []
    for c in stated:
        pool = [
            f for f in found
            if f.attached and f.coverage >= SAME_SUBJECT and _compatible(c.unit, f.quantity.unit)
        ]  # fmt: skip
        best = max((f.coverage for f in pool), default=0.0)
        same = [f for f in pool if f.coverage == best]
        if any(quantities_match(c, f.quantity) for f in same):
            matched.append(c)
        elif against := [
            f.quantity for f in same
            if any(f is u for u in unused)
            and (f.cell or (c.unit is not None and f.quantity.unit is not None))
        ]:  # fmt: skip
            conflicting += against
        elif any(quantities_match(c, f.quantity) for f in found if not f.cell):
            matched.append(c)
    missing = [c for c in stated if c not in matched]
    if not missing:
        status = NumericStatus.CONSISTENT
    else:
        status = NumericStatus.CONTRADICTED if conflicting else NumericStatus.MISSING
    return NumericCheck(
        status=status,
        claim_quantities=_unique(q.text for q in stated),
        matched=_unique(q.text for q in matched),
        missing=_unique(q.text for q in missing),
        conflicting=_unique(e.text for e in conflicting),
    )
