"""Checking a claim's text before synth verifies it: normalise, reject what can't be checked."""

from __future__ import annotations

import re
import unicodedata

from synth.core.errors import BadInput

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "pt": "Portuguese",
    "it": "Italian", "nl": "Dutch", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "ru": "Russian", "ar": "Arabic", "hi": "Hindi", "el": "Greek", "he": "Hebrew", "th": "Thai",
}  # fmt: skip

# Common function words per language. Most words that are also everyday English ("in", "no",
# "come", "sin") are left out of the other lists so that English claims don't score for them.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the a an of and to in is are was were be been has have had that this these those"
        " with for on by from as at than it its which not or we our their can does do more"
        " also but into when while only both",
        "fr": "le la les des du de et est sont une un dans que qui sur avec pas ne par au aux ces"
        " cette ce dont tout mais ou nous il elle ils leur être été très sans entre même plus",
        "de": "der die das und ist sind nicht mit von zu den dem des ein eine einen einem einer"
        " auf für im auch sich dass wird werden wurde bei oder aus nach wie durch über kann",
        "es": "el la los las de del y en que es son un una por para con se al lo como más pero"
        " sus su este esta estos entre sobre también fue muy cuando donde puede",
        "pt": "o os de do da dos das e em na nos nas um uma não com para por mais é que se ao pelo"
        " pela são foi também entre como mas ou seu sua muito quando está tem",
        "it": "il lo la gli le di del della dei delle che è e non per con un una uno sono nel"
        " nella negli al alla anche più ma questo questa tra fra da dal dalla sul sulla stato",
        "nl": "de het een en van zijn niet met dat die voor op te aan ook als bij door naar om"
        " wordt worden werd tot uit deze dit wat er maar kan heeft hebben nog",
    }.items()
}

# Letters typical of a language: extra evidence, never enough on their own (names, loanwords).
_TYPICAL_LETTERS: dict[str, str] = {
    "de": "ßäöü", "es": "ñ¿¡", "fr": "çèêëîïôûœ", "pt": "ãõ", "it": "ìò",
}  # fmt: skip

# unicodedata.name() prefix -> script key; "kana" and "han" are resolved to ja/zh below.
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("LATIN", "latin"), ("CJK UNIFIED", "han"), ("CJK COMPATIBILITY IDEOGRAPH", "han"),
    ("HIRAGANA", "kana"), ("KATAKANA", "kana"), ("HALFWIDTH KATAKANA", "kana"),
    ("HANGUL", "ko"), ("CYRILLIC", "ru"), ("ARABIC", "ar"), ("DEVANAGARI", "hi"),
    ("GREEK", "el"), ("HEBREW", "he"), ("THAI", "th"),
)  # fmt: skip

_ET_AL = re.compile(r"\bet\s+al\b", re.IGNORECASE)
# Each quote stops at the next opening mark too, so a run of unclosed marks stays linear.
_QUOTED = re.compile(r"“[^“”]*”|‘[^‘’]*’|«[^«»]*»|\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)")
_NAME_PARTICLES = frozenset(
    {"de", "la", "le", "du", "des", "van", "von", "der", "den", "da", "do", "dos", "das", "di",
     "del", "della", "ten", "ter"}
)  # fmt: skip
_SYLLABIC = frozenset({"han", "kana", "ko", "zh", "ja"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))  # zero-width space, word joiner, BOM
_SEPARATORS = str.maketrans(dict.fromkeys("'’-‐–—/", " "))


def normalise_claim(text: str) -> str:
    """Collapse whitespace (incl. newlines, tabs, NBSP), strip, NFC-normalise."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_INVISIBLE).split())


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((key for prefix, key in _SCRIPTS if name.startswith(prefix)), None)


def _script_language(text: str) -> str | None:
    """The language of a non-Latin script making up most of the words, if there is one."""
    words: dict[str, int] = {}  # a CJK/Hangul character counts as a word, else a run of letters
    letters: dict[str, int] = {}
    previous: str | None = None
    for char in text:
        key = _script(char) if char.isalpha() else None
        if key is not None:
            letters[key] = letters.get(key, 0) + 1
            if key != previous or key in _SYLLABIC:
                words[key] = words.get(key, 0) + 1
        previous = key
    han, kana = words.pop("han", 0), words.pop("kana", 0)
    if han + kana:  # kanji and kana are one writing system; any kana means Japanese
        words["ja" if kana else "zh"] = han + kana
        letters["ja" if kana else "zh"] = han + kana
    top = max(words, key=words.__getitem__, default="latin")
    if top == "latin" or words[top] * 2 <= sum(words.values()):
        return None
    # A few Greek letters are usually maths (α, β), not Greek; a CJK character is a word.
    return top if letters[top] >= (2 if top in _SYLLABIC else 4) else None


def _tokens(text: str) -> list[str]:
    """Lower-cased words, leaving out "et al.", quoted titles, acronyms and name particles
    (de la Cruz)."""
    text = _ET_AL.sub(" ", text)
    text = _QUOTED.sub(" ", text) if _QUOTED.sub(" ", text).strip() else text
    stripped = (w.strip('.,;:!?()[]{}"“”«»¿¡') for w in text.translate(_SEPARATORS).split())
    # drops "e.g", "1e", "gpt2" (not words) and acronyms ("IL-6" is no French "il")
    words = [w for w in stripped if w.isalpha() and not (w.isupper() and len(w) > 1)]
    kept: list[str] = []
    name_follows = False  # walking backwards: is the next word (part of) a name?
    for word in reversed(words):
        particle = word.lower() in _NAME_PARTICLES
        if particle and name_follows:
            continue  # part of the name: "name_follows" stays true for the word before
        kept.append(word.lower())
        name_follows = word[0].isupper() and not particle
    return kept


def detect_language(text: str) -> str | None:
    """Best guess at the claim's ISO 639-1 language code; None when too short or unclear."""
    text = normalise_claim(text)
    if not any(c.isalpha() for c in text):
        return None
    script_lang = _script_language(text)
    if script_lang is not None:
        return script_lang
    tokens = _tokens(text)
    hits = {lang: sum(t in words for t in tokens) for lang, words in _FUNCTION_WORDS.items()}
    lower = text.lower()
    accents = {lang: sum(c in lower for c in chars) for lang, chars in _TYPICAL_LETTERS.items()}
    english = hits.pop("en")
    best = max(hits, key=lambda lang: (hits[lang] + accents.get(lang, 0), hits[lang]))
    if hits[best] >= 2 and hits[best] + accents.get(best, 0) > english:
        return best
    return "en" if english >= 1 and english >= max(hits.values()) else None


def validate_claim(text: str, max_chars: int = 1000) -> str:
    """Return the normalised claim or raise SynthError with a remedy."""
    claim = normalise_claim(text)
    if not claim:
        raise BadInput("the claim is empty", 'pass the sentence to check, e.g. synth check "..."')
    if len(claim) > max_chars:
        raise BadInput(
            f"the claim is {len(claim):,} characters; synth checks claims of at most {max_chars:,}",
            "split it into single-sentence claims (synth check --batch takes one per line)"
            " or raise SYNTH_VERIFY_MAX_CLAIM_CHARS",
        )
    if not any(c.isalpha() for c in claim):
        raise BadInput(
            "the claim has no words", "pass a sentence that states a finding, not only numbers"
        )
    lang = detect_language(claim)
    if lang is not None and lang != "en":
        raise BadInput(
            f"the claim looks like {LANGUAGE_NAMES.get(lang, lang)} ({lang})",
            "the default verifier is English-only; translate the claim, or select a"
            " multilingual NLI model with SYNTH_VERIFY_MODEL",
        )
    return claim
