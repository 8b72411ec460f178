"""The key claims of one paper: its finding sentences, scored, and rewritten to stand alone.

Candidates come from the abstract, the conclusions and the results, discussion and
experiments sections (from every passage when a paper has none of those). Findings with
numbers score highest, then sentences with finding verbs; background, setup, questions,
fragments, run-ons and citation lists score low. Each chosen sentence keeps its passage
and the paper's wording; only its first-person voice is replaced by the paper's
attribution ("We find" -> "Phang et al. (2020) find"). Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from synth.core.types import Paper, Passage
from synth.corpus.parsing.chunk import split_sentences
from synth.verify.numeric import extract_quantities

KEY_SECTIONS = (
    "abstract", "conclusion", "result", "discussion", "experiment", "evaluation", "finding",
    "analysis", "summary",
)  # fmt: skip
MIN_WORDS, MAX_WORDS = 6, 50
_HEADING_PREFIX = re.compile(r"^[#\s]*(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)?\s*")
_FINDING = re.compile(
    r"\b(?:improv|outperform|achiev|show|find|found|yield|gain|reduc|increas|decreas|surpass"
    r"|exceed|demonstrat|reveal|boost|lower|rais|beat|match|lead|led|correlat|reach|obtain"
    r"|confirm|observ|enabl|better|worse|higher|faster|fewer|larger|smaller)\w*",
    re.IGNORECASE,
)
_SETUP = re.compile(
    r"\b(?:in this (?:paper|work|study|article)|this (?:paper|work|study|article)"
    r"|we (?:propose|present|introduce|describe|study|investigate|explore|consider|address"
    r"|focus|aim|define|formulate|review))\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b(?:recent(?:ly)?|has been|have been|is widely|are widely|remains|prior work"
    r"|previous work|existing (?:methods|approaches|work))\b",
    re.IGNORECASE,
)
_CITATION = re.compile(
    r"\[\d+(?:\s*[,;–-]\s*\d+)*\]"
    r"|\((?:[A-Z][\w\-]+(?: et al\.| and [A-Z][\w\-]+)?,? \d{4}[a-z]?(?:;\s*)?)+\)"
    r"|\b[A-Z][\w\-]+ et al\. \(\d{4}[a-z]?\)"
)
_UNIT_OR_DECIMAL = re.compile(r"[.%×]|point|percent|times|fold|x$", re.IGNORECASE)


@dataclass(frozen=True)
class Attribution:
    """How a claim names its paper ("Phang et al. (2020)"), and whether that is plural."""

    name: str
    plural: bool


@dataclass(frozen=True)
class KeyClaim:
    """A finding of one paper: ``text`` stands alone, ``sentence`` is as the paper words it."""

    text: str
    sentence: str
    passage: Passage
    score: float


def is_key_section(section: str) -> bool:
    name = _HEADING_PREFIX.sub("", section).lower()
    return any(key in name for key in KEY_SECTIONS)


def candidates(passages: Sequence[Passage]) -> list[tuple[Passage, str]]:
    """The sentences of the key-section passages in document order (of every passage when
    none is in a key section), each once."""
    chosen = [p for p in passages if is_key_section(p.section)] or list(passages)
    seen: set[str] = set()
    out: list[tuple[Passage, str]] = []
    for passage in chosen:
        for start, end in split_sentences(passage.text):
            sentence = " ".join(passage.text[start:end].split())
            if sentence and sentence not in seen:
                seen.add(sentence)
                out.append((passage, sentence))
    return out


def score_sentence(sentence: str) -> float:
    """How much ``sentence`` reads as a finding: numbers, then finding verbs; background,
    setup, questions, fragments, run-ons and citations cost. Below 0: not a finding."""
    score = 0.0
    quantities = extract_quantities(sentence)
    if quantities:
        measured = any(q.unit or _UNIT_OR_DECIMAL.search(q.text) for q in quantities)
        score += 3.0 if measured else 1.0
    if _FINDING.search(sentence):
        score += 2.0
    if _SETUP.search(sentence):
        score -= 2.0
    if _BACKGROUND.search(sentence):
        score -= 1.0
    if sentence.rstrip().endswith("?"):
        score -= 5.0
    words = len(sentence.split())
    if words < MIN_WORDS:
        score -= 4.0
    elif words > MAX_WORDS:
        score -= 2.0
    cited = [m.group() for m in _CITATION.finditer(sentence)]
    if sum(map(len, cited)) > 0.3 * len(sentence):
        score -= 4.0
    else:
        score -= 0.5 * len(cited)
    return score


def key_claims(paper: Paper, passages: Sequence[Passage], limit: int) -> list[KeyClaim]:
    """The ``limit`` best-scoring finding sentences of ``paper`` (score 0 or more), in
    document order, each rewritten to stand alone."""
    who = attribution(paper)
    scored = [(score_sentence(s), i, p, s) for i, (p, s) in enumerate(candidates(passages))]
    best = sorted((row for row in scored if row[0] >= 0), key=lambda r: (-r[0], r[1]))[:limit]
    return [
        KeyClaim(decontextualise(s, who), s, p, score)
        for score, _, p, s in sorted(best, key=lambda r: r[1])
    ]


# --- naming the paper ---------------------------------------------------------------

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_PARTICLES = {"de", "da", "del", "della", "di", "van", "von", "der", "den", "la", "le", "ten"}


def surname(author: str) -> str:
    """ "Jason Phang" -> "Phang", "Phang, Jason" -> "Phang", "Ludwig van Beethoven" ->
    "van Beethoven"."""
    if "," in author:
        return author.split(",", 1)[0].strip()
    words = [w for w in author.split() if w.lower() not in _SUFFIXES]
    if not words:
        return author.strip()
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[start:])


def attribution(paper: Paper) -> Attribution:
    """First author + "et al." (more than two authors), "A and B" (two), "A" (one), with
    the year; else the title in quotes; else the paper_id."""
    year = f" ({paper.year})" if paper.year else ""
    names = [surname(a) for a in paper.authors if a.strip()]
    if len(names) > 2:
        return Attribution(f"{names[0]} et al.{year}", plural=True)
    if len(names) == 2:
        return Attribution(f"{names[0]} and {names[1]}{year}", plural=True)
    if names:
        return Attribution(f"{names[0]}{year}", plural=False)
    if paper.title.strip():
        return Attribution(f"“{paper.title.strip()}”{year}", plural=False)
    return Attribution(paper.paper_id, plural=False)


# --- decontextualisation --------------------------------------------------------------

_DISCOURSE = re.compile(
    r"^(?:(?:however|moreover|furthermore|additionally|finally|overall|importantly|notably"
    r"|specifically|thus|therefore|hence|consequently|in addition|in particular|as a result"
    r"|in summary|in conclusion|to summari[sz]e|taken together|altogether|in short|here"
    r"|empirically|experimentally|in (?:this|the present|our) (?:paper|work|study|article))"
    r"(?:,\s*|\s+(?=(?:we|our)\b)))+",
    re.IGNORECASE,
)
_THIS_PAPER = re.compile(r"^(?:this|the present) (?:paper|work|study|article)\b", re.IGNORECASE)
_IN_THIS_PAPER = re.compile(r",?\s+in this (?:paper|work|study|article)\b(,(?=\s))?", re.I)
_PRONOUN = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_WORD = re.compile(r"\s*([A-Za-z][\w\-]*)")
_ADVERBS = {"also", "further", "then", "now", "first", "still", "consistently", "additionally"}
_FIXED = {  # verbs whose form does not depend on the subject's number
    "can", "could", "will", "would", "may", "might", "must", "should", "shall", "did", "had",
    "found", "saw", "made", "got", "took", "ran", "built", "gave", "began", "chose", "drew",
    "kept", "left", "led", "met", "put", "set", "held", "knew", "sought", "brought", "thought",
    "wrote", "became", "not",
}  # fmt: skip
_SINGULAR = {"have": "has", "are": "is", "were": "was", "do": "does", "go": "goes"}
_PLURAL = {v: k for k, v in _SINGULAR.items()}
_NOT_IN_NOUN = {  # words that end a noun phrase after "our"
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "can", "could", "will",
    "would", "may", "might", "must", "should", "does", "do", "did", "on", "in", "of", "for",
    "with", "at", "by", "from", "to", "over", "across", "than", "under", "without", "and",
    "or", "but", "that", "which", "who", "while", "when", "as", "also", "not", "only",
}  # fmt: skip
NOUN_WORDS = 4  # the longest noun phrase after "our" that is rewritten "the ... of NAME"


def _is_adverb(word: str) -> bool:
    low = word.lower()
    return low in _ADVERBS or (low.endswith("ly") and not low.endswith("ply") and low != "rely")


def _agree(verb: str, plural: bool) -> str:
    """``verb`` (a present-tense form) in the form its subject's number needs."""
    low = verb.lower()
    if low in _FIXED or low.endswith("ed"):
        return verb
    if plural:
        if low in _PLURAL:
            return _PLURAL[low]
        if low.endswith("ies"):
            return verb[:-3] + "y"
        if re.search(r"(?:ss|sh|ch|x|z|o)es$", low):
            return verb[:-2]
        return verb[:-1] if low.endswith("s") and not low.endswith("ss") else verb
    if low in _SINGULAR:
        return _SINGULAR[low]
    if low.endswith("s"):
        return verb
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ies"
    return verb + ("es" if re.search(r"(?:sh|ch|x|z|o)$", low) else "s")


def _with_verb(rest: str, plural: bool) -> str:
    """``rest`` (what follows a new subject) with its first verb agreeing with the subject,
    skipping adverbs ("also", "-ly")."""
    pos = 0
    while match := _WORD.match(rest, pos):
        word = match.group(1)
        if _is_adverb(word):
            pos = match.end()
            continue
        return rest[: match.start(1)] + _agree(word, plural) + rest[match.end(1) :]
    return rest


def _noun_phrase(rest: str) -> int | None:
    """Where the noun phrase that follows "our" ends in ``rest`` (None: unclear)."""
    pos, words = 0, 0
    while match := _WORD.match(rest, pos):
        word = match.group(1).lower()
        if words and (word in _NOT_IN_NOUN or _is_adverb(word) or _FINDING.fullmatch(word)):
            return pos
        words, pos = words + 1, match.end()
        if words > NOUN_WORDS:
            return None
    return pos if words else None


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def decontextualise(sentence: str, who: Attribution) -> str:
    """``sentence`` rewritten to stand alone: leading connectives and "In this work," go;
    the first "we"/"us" becomes the attribution (later ones "they"/"them"), the first
    "our X" "the X of <attribution>" (later ones "their"), "This paper" the attribution."""
    text = _DISCOURSE.sub("", sentence.strip())
    text = _IN_THIS_PAPER.sub("", text)
    named = False
    if match := _THIS_PAPER.match(text):
        text = who.name + _with_verb(text[match.end() :], who.plural)
        named = True
    out: list[str] = []
    pos = 0
    while match := _PRONOUN.search(text, pos):
        out.append(text[pos : match.start()])
        word, rest = match.group().lower(), text[match.end() :]
        pos = match.end()
        if word == "our" and not named and (end := _noun_phrase(rest)) is not None:
            out.append(f"the{rest[:end]} of {who.name}")
            pos += end
        elif word == "our":
            out.append("their" if named else f"{who.name}'s")
        elif named:
            out.append("they" if word == "we" else "them")
        else:
            out.append(who.name)
            if word == "we":
                text = text[:pos] + _with_verb(rest, who.plural)
        named = True
    out.append(text[pos:])
    return _capitalise("".join(out))
