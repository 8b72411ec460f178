"""Counter-claims for training: a claim its evidence entails, turned into one that evidence
contradicts. Pure.

Refuting examples are scarce in scientific claim data, and SciFact's own refuted claims were
written this way: an annotator took a finding and reversed it. :func:`negate` reverses a
claim by the first rule that applies: an antonym swap of its finding word ("increases" ->
"decreases", "higher" -> "lower", "promotes" -> "inhibits"), then a negated auxiliary ("is"
-> "is not", "can" -> "cannot"). A claim no rule fits is left out (None), never guessed at."""

from __future__ import annotations

import re
from collections.abc import Iterable

from synth.verify.datasets import CONTRA, ENTAIL, Pair

_ANTONYMS = {
    "increase": "decrease", "increases": "decreases", "increased": "decreased",
    "increasing": "decreasing", "higher": "lower", "more": "less", "greater": "smaller",
    "improves": "worsens", "improved": "worsened", "improve": "worsen",
    "promotes": "inhibits", "promote": "inhibit", "promoted": "inhibited",
    "activates": "inhibits", "enhances": "reduces", "reduce": "increase",
    "enhanced": "reduced", "upregulates": "downregulates", "upregulated": "downregulated",
    "up-regulates": "down-regulates", "up-regulated": "down-regulated",
    "positive": "negative", "positively": "negatively", "effective": "ineffective",
    "beneficial": "harmful", "protective": "harmful", "safe": "unsafe", "before": "after",
    "early": "late", "earlier": "later", "larger": "smaller", "longer": "shorter",
    "faster": "slower", "stronger": "weaker", "better": "worse", "above": "below",
    "rise": "fall", "rises": "falls", "raised": "lowered", "raises": "lowers",
    "accelerates": "slows", "prevents": "causes", "induces": "prevents",
}  # fmt: skip
_ANTONYMS |= {v: k for k, v in list(_ANTONYMS.items()) if v not in _ANTONYMS}
_AUXILIARIES = {
    "is": "is not", "are": "are not", "was": "was not", "were": "were not", "can": "cannot",
    "could": "could not", "may": "may not", "will": "will not", "does": "does not",
    "do": "do not", "did": "did not", "has": "has not", "have": "have not",
    "should": "should not",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")
# A finding stated after one of these sits in a subordinate clause: reversing it there
# ("... until the areas are decontaminated") would not reverse the claim.
_SUBORDINATE = frozenset(
    [
        "where",
        "until",
        "when",
        "whenever",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "once",
        "if",
        "because",
        "while",
        "although",
        "unless",
        "since",
        "whereas",
    ]
)
_ALREADY_NEGATED = re.compile(r"\b(?:not|no|never|cannot|n't|without|neither|nor)\b", re.I)


def _cased(word: str, replacement: str) -> str:
    return replacement[0].upper() + replacement[1:] if word[0].isupper() else replacement


def negate(claim: str) -> str | None:
    """The claim reversed by the first rule that applies, or None when none does (or the
    claim is negated already: undoing a negation is left to the annotated data)."""
    if _ALREADY_NEGATED.search(claim):
        return None
    words = []
    for m in _WORD.finditer(claim):
        if m.group().lower() in _SUBORDINATE:
            break
        words.append(m)
    for table in (_ANTONYMS, _AUXILIARIES):
        for i, m in enumerate(words):
            swap = table.get(m.group().lower())
            if swap is None:
                continue
            start = m.start()
            before = words[i - 1] if i else None
            if before is not None and before.group().lower() in ("a", "an"):
                article = "an" if swap[0] in "aeiou" else "a"
                start = before.start()
                swap = f"{_cased(before.group(), article)} {swap}"
                return claim[:start] + swap + claim[m.end() :]
            return claim[:start] + _cased(m.group(), swap) + claim[m.end() :]
    return None


def counter_claims(pairs: Iterable[Pair]) -> list[Pair]:
    """For each entailment pair whose claim :func:`negate` can reverse, the premise against
    the reversed claim, as a contradiction (source ``negated``)."""
    out = []
    for pair in pairs:
        if pair.label != ENTAIL:
            continue
        reversed_claim = negate(pair.hypothesis)
        if reversed_claim is not None:
            out.append(Pair(pair.premise, reversed_claim, CONTRA, "negated", pair.group))
    return out
