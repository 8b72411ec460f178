"""A claim about intermediate-task transfer, read into an experiment spec.

``synth reproduce "claim"`` needs to know which English intermediate task(s) to train on, which
XTREME target task(s) to score, in which languages, and which way (and how far) the claim says
the score moves. :func:`parse_claim` reads that from an English sentence; :func:`load_spec`
reads the same :class:`ClaimSpec` from a hand-written TOML file for claims the parser cannot
read. Pure apart from ``load_spec``'s file read.

How a claim is read:

- Tasks by name or alias (``experiments.tasks``; separators optional, so "PAWS-X", "PAWS X"
  and "PAWSX" are one), as whole words: "SQuAD" does not match inside "XQuAD" and "NLI" alone
  is no task. A task's role in the table decides whether it is intermediate or target.
  "XTREME" stands for all nine targets, but only when no target is named.
- Direction from effect words ("improves", "gains", "hurts", "drops", ...) and signed numbers
  ("+5.4"). A negated effect ("does not improve", "no gains") is not a claim of the opposite:
  the claim is refused as ambiguous and the user asked to state the effect to test.
- Magnitude from a quantity in points or percent, a signed number, a bare number after
  "by"/"of", or "from A to B" (|B - A|); percentages count as metric points (XTREME's metrics
  are percentages). Levels ("to 78%") and multipliers ("2x") are not sizes.
- Languages from English language names and ISO codes in parentheses, restricting the
  evaluation. "English" is left out: it is the training language of every claim here, so
  "English intermediate tasks" restricts nothing (a spec file can still ask for ``en``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from experiments.config import read_toml
from experiments.tasks import LANGUAGES, TASKS, Role, get_task, task_names
from synth.check.claims import LANGUAGE_NAMES, detect_language, normalise_claim
from synth.core.errors import SynthError, invalid
from synth.verify.numeric import PERCENT, POINTS, extract_quantities


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class ClaimSpec(BaseModel):
    """What to run to test one claim: task names are canonical (aliases are resolved)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim: str = ""  # the sentence it came from ("" for hand-written specs)
    intermediate: tuple[str, ...] = Field(min_length=1)  # several: multi-task training
    targets: tuple[str, ...] = Field(min_length=1)
    languages: tuple[str, ...] = ()  # () = every evaluation language of each target
    direction: Direction = Direction.INCREASE
    magnitude: float | None = Field(default=None, gt=0)  # claimed size in metric points
    source: str = ""  # e.g. "arXiv:2005.13013"

    @field_validator("intermediate")
    @classmethod
    def _intermediate_names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        return _canonical(names, Role.INTERMEDIATE)

    @field_validator("targets")
    @classmethod
    def _target_names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        return _canonical(names, Role.TARGET)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.strip().lower() for c in codes))

    @model_validator(mode="after")
    def _languages_evaluated(self) -> ClaimSpec:
        evaluated = {lang for t in self.targets for lang in get_task(t).languages}
        unknown = [lang for lang in self.languages if lang not in evaluated]
        if unknown:
            raise SynthError(
                f"language {', '.join(unknown)} is not evaluated by {', '.join(self.targets)}",
                f"choose among: {', '.join(sorted(evaluated))}",
            )
        return self


def _canonical(names: Iterable[str], role: Role) -> tuple[str, ...]:
    """Task names or aliases -> canonical names of ``role``, first occurrence kept."""
    return tuple(dict.fromkeys(get_task(n, role).name for n in names))


class AmbiguousClaim(SynthError):
    """The claim leaves ``field`` open; ``options`` are the answers the CLI can offer.

    Re-call :func:`parse_claim` with the chosen answer (``intermediate=``, ``targets=`` or
    ``direction=``). For several intermediate tasks, passing them all means multi-task training.
    """

    def __init__(
        self,
        message: str,
        hint: str,
        field: Literal["intermediate", "targets", "direction"],
        options: tuple[str, ...],
    ) -> None:
        super().__init__(message, hint)
        self.field = field
        self.options = options


# Spellings beyond the task table's aliases (the table's are used by get_task too).
_EXTRA_SPELLINGS: dict[str, tuple[str, ...]] = {
    "anli+": ("adversarial nli",),
    "mnli": ("multi-nli", "multi-genre nli"),
    "qqp": ("quora",),
    "sst-2": ("stanford sentiment treebank",),
    "udpos": ("part-of-speech", "part of speech"),
    "panx": ("named entity recognition",),
    "bucc": ("bucc2018",),
}
_XTREME = re.compile(r"(?<![A-Za-z0-9])xtreme(?![A-Za-z0-9])", re.IGNORECASE)
# A single-digit version after a task name ("SQuAD 2.0", "SQuAD v1.1") is a name, not a size.
_VERSION = r"(?:\s*v\d+(?:\.\d+)?|\s+\d\.\d(?!\d)(?!\s*(?:%|points?|pts?|pp)\b))?"


def _spelling(alias: str) -> str:
    """An alias as a regex: spaces and hyphens optional and interchangeable."""
    return r"[\s\-]?".join(re.escape(part) for part in re.split(r"[\s\-]+", alias))


_TASK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        task.name,
        re.compile(
            r"(?<![A-Za-z0-9])(?:"
            + "|".join(
                _spelling(a)
                for a in sorted(
                    {task.name, *task.aliases, *_EXTRA_SPELLINGS.get(task.name, ())},
                    key=len,
                    reverse=True,
                )
            )
            + r")(?![A-Za-z0-9])"
            + _VERSION,
            re.IGNORECASE,
        ),
    )
    for task in TASKS
)

_MULTI_TASK = re.compile(
    r"\bmulti[\s\-]?task|\bjoint(?:ly)?\b|\btogether\b|\bcombin(?:ed|ing|ation)\b|\bmixture\b",
    re.IGNORECASE,
)

_INCREASE = (
    r"improv(?:e|es|ed|ing|ements?)|gain(?:s|ed|ing)?|boost(?:s|ed|ing)?|increas(?:e|es|ed|ing)"
    r"|help(?:s|ed|ing|ful)?|benefit(?:s|ed|ing|ted|ting)?|beneficial|better"
    r"|higher(?![\s\-]resource)|outperform(?:s|ed|ing)?|enhanc(?:e|es|ed|ing|ements?)"
    r"|rais(?:e|es|ed|ing)|positive\s+transfer"
)
_DECREASE = (
    r"hurt(?:s|ing)?|degrad(?:e|es|ed|ing|ation)|decreas(?:e|es|ed|ing)|drop(?:s|ped|ping)?"
    r"|reduc(?:e|es|ed|ing|tions?)|harm(?:s|ed|ing|ful)?|wors(?:e|ens?|ened|ening)"
    r"|lower(?:s|ed|ing)?(?![\s\-]resource)|declin(?:e|es|ed|ing)|underperform(?:s|ed|ing)?"
    r"|detrimental|deteriorat(?:e|es|ed|ing|ion)|impair(?:s|ed|ing)?|negative\s+transfer"
)
_EFFECT = re.compile(rf"\b(?:(?P<up>{_INCREASE})|(?P<down>{_DECREASE}))\b", re.IGNORECASE)
_NEGATORS = frozenset({"not", "no", "never", "neither", "nor", "without", "cannot", "hardly"})
_NEGATION_WINDOW = 4  # words before an effect word that can negate it
_CLAUSE_END = re.compile(r"[,;:.()]|\bbut\b|\bwhereas\b|\bwhile\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+(?:['’]t)?")
_FROM_TO = re.compile(
    r"\bfrom\s+(?P<a>[+\-−]?\d+(?:\.\d+)?)\s*(?:%|points?)?\s+to\s+(?P<b>[+\-−]?\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
_LEVEL_WORDS = frozenset({"to", "at", "reach", "reaches", "reaching", "reached"})

# XTREME's languages by English name (with common alternatives).
_LANGUAGES: dict[str, str] = {
    **{name.lower(): code for code, name in LANGUAGES.items() if code != "en"},
    "bangla": "bn", "farsi": "fa", "filipino": "tl", "mandarin": "zh",
}  # fmt: skip
_XTREME_CODES = frozenset(lang for t in TASKS for lang in t.languages)
_LANGUAGE_NAME = re.compile(rf"\b(?:{'|'.join(_LANGUAGES)})\b", re.IGNORECASE)
_CODES_IN_PARENS = re.compile(
    r"\(\s*([a-z]{2}(?:\s*(?:,|/|;|\band\b)\s*[a-z]{2})*)\s*\)", re.IGNORECASE
)


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, task name) of every task mention, in text order."""
    found = [(m.start(), m.end(), name) for name, p in _TASK_PATTERNS for m in p.finditer(text)]
    return sorted(found)


def _negated(before: str) -> bool:
    """Whether the last few words of ``before`` (same clause) negate the word that follows."""
    words = _WORD.findall(before.lower())[-_NEGATION_WINDOW:]
    for i, word in enumerate(words):
        if word == "not" and i + 1 < len(words) and words[i + 1] == "only":
            continue
        if word in _NEGATORS or word.endswith(("n't", "n’t")) or word.startswith("fail"):
            return True
    return False


def _effect_directions(text: str) -> tuple[set[Direction], bool]:
    """The directions the claim's effect words state, and whether any was negated."""
    stated: set[Direction] = set()
    negated = False
    start = 0  # a negator before an earlier effect word belongs to that one
    for m in _EFFECT.finditer(text):
        before = text[start : m.start()]
        clause = _CLAUSE_END.split(before)[-1]
        if _negated(clause):
            negated = True
        else:
            stated.add(Direction.INCREASE if m["up"] else Direction.DECREASE)
        start = m.end()
    return stated, negated


def _sizes(text: str) -> tuple[list[float], set[Direction]]:
    """The sizes a claim states (absolute values) and the directions their signs give."""
    sizes: list[float] = []
    signs: set[Direction] = set()
    for m in _FROM_TO.finditer(text):
        a, b = (float(m[g].replace("−", "-")) for g in ("a", "b"))
        decimals = max(len(m[g].partition(".")[2]) for g in ("a", "b"))
        if b != a:
            sizes.append(round(abs(b - a), decimals))
            signs.add(Direction.INCREASE if b > a else Direction.DECREASE)
    text = _FROM_TO.sub(lambda m: " " * len(m.group()), text)
    cursor = 0
    for q in extract_quantities(text):
        at = text.find(q.text, cursor)
        cursor = at + len(q.text)
        previous = re.findall(r"[a-z]+", text[:at].lower())[-2:]
        signed = q.text.startswith(("+", "-", "−"))
        by = bool(previous) and previous[-1] in ("by", "of")
        level = bool(previous) and previous[-1] in _LEVEL_WORDS and previous[:1] != ["up"]
        if q.value == 0 or level or not (q.unit in (POINTS, PERCENT) or signed or by):
            continue
        sizes.append(abs(q.value))
        if signed:
            signs.add(Direction.DECREASE if q.value < 0 else Direction.INCREASE)
    return list(dict.fromkeys(sizes)), signs


def _languages(text: str) -> tuple[str, ...]:
    """XTREME language codes named in the claim (English names, or ISO codes in parentheses)."""
    found = [(m.start(), _LANGUAGES[m.group().lower()]) for m in _LANGUAGE_NAME.finditer(text)]
    for m in _CODES_IN_PARENS.finditer(text):
        codes = [c.lower() for c in re.findall(r"\b[a-z]{2}\b", m[1], re.IGNORECASE)]
        if all(c in _XTREME_CODES for c in codes):
            found.extend((m.start(), c) for c in codes)
    return tuple(dict.fromkeys(code for _, code in sorted(found)))


def _direction(text: str) -> Direction:
    """The one direction the claim states, or AmbiguousClaim."""
    stated, negated = _effect_directions(text)
    stated |= _sizes(text)[1]
    options = tuple(d.value for d in Direction)
    if len(stated) == 1:
        return stated.pop()
    if len(stated) > 1:
        raise AmbiguousClaim(
            "the claim states both an increase and a decrease",
            "test one effect at a time: choose the direction, or split the claim",
            "direction",
            options,
        )
    if negated:
        raise AmbiguousClaim(
            "the claim is negated (e.g. 'does not improve'); synth tests a stated effect",
            "phrase the claim positively (the effect to look for), choose a direction, "
            "or write a spec file and pass --spec",
            "direction",
            options,
        )
    raise AmbiguousClaim(
        "the claim says no direction (e.g. 'improves', 'hurts', '+5 points')",
        "choose the direction the claim predicts",
        "direction",
        options,
    )


def _no_task_error(lang: str | None) -> SynthError:
    what = "" if lang in (None, "en") else f" (it looks like {LANGUAGE_NAMES.get(lang, lang)})"
    return SynthError(
        f"no task named in the claim{what}",
        "claims are read in English and must name an intermediate task "
        f"({', '.join(task_names(Role.INTERMEDIATE))}) and a target task "
        f"({', '.join(task_names(Role.TARGET))}); or write a spec file and pass --spec",
    )


def parse_claim(
    text: str,
    intermediate: Sequence[str] = (),
    targets: Sequence[str] = (),
    *,
    direction: Direction | None = None,
) -> ClaimSpec:
    """Read a claim into a spec. ``intermediate``, ``targets`` and ``direction``, when given
    (CLI options, or the answer to an :class:`AmbiguousClaim`), override what the text says.

    Raises SynthError when the claim names no task at all or is not in English, and
    AmbiguousClaim when a role or the direction is left open.
    """
    claim = normalise_claim(text)
    if not claim:
        raise SynthError("the claim is empty", "pass the sentence to test, e.g. 'SQuAD helps XNLI'")
    mentions = _mentions(claim)
    masked = claim  # without names and codes: "SST-2" holds no size, "(de, es)" is no Spanish
    for start, end, _ in mentions:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    lang = detect_language(_CODES_IN_PARENS.sub(" ", masked))
    if not mentions and not (intermediate and targets):
        raise _no_task_error(lang)
    if lang not in (None, "en"):
        raise SynthError(
            f"the claim looks like {LANGUAGE_NAMES.get(lang, lang)} ({lang})",
            "claims are read in English: translate it, or write a spec file and pass --spec",
        )

    named = list(dict.fromkeys(name for _, _, name in mentions))
    found_inter = [n for n in named if get_task(n).role is Role.INTERMEDIATE]
    found_targets = [n for n in named if get_task(n).role is Role.TARGET]
    if not found_targets and _XTREME.search(claim):
        found_targets = task_names(Role.TARGET)

    if not intermediate:
        if not found_inter:
            raise AmbiguousClaim(
                "the claim names no intermediate task",
                "choose the English intermediate task(s) to train on",
                "intermediate",
                tuple(task_names(Role.INTERMEDIATE)),
            )
        if len(found_inter) > 1 and not _MULTI_TASK.search(claim):
            raise AmbiguousClaim(
                f"the claim names several intermediate tasks ({', '.join(found_inter)}) "
                "but not multi-task training",
                "choose one, or all of them to train them jointly (multi-task)",
                "intermediate",
                tuple(found_inter),
            )
        intermediate = found_inter
    if not targets:
        if not found_targets:
            raise AmbiguousClaim(
                "the claim names no target task",
                "choose the XTREME target task(s) to evaluate",
                "targets",
                tuple(task_names(Role.TARGET)),
            )
        targets = found_targets

    sizes = _sizes(masked)[0]
    if len(sizes) > 1:
        raise SynthError(
            f"the claim states several sizes ({', '.join(f'{s:g}' for s in sizes)})",
            "claim one size (split the claim per target), or write a spec file and pass --spec",
        )
    return ClaimSpec(
        claim=claim,
        intermediate=tuple(intermediate),
        targets=tuple(targets),
        languages=_languages(claim),
        direction=direction or _direction(masked),
        magnitude=sizes[0] if sizes else None,
    )


def load_spec(path: Path) -> ClaimSpec:
    """A spec from TOML: top-level keys are :class:`ClaimSpec`'s fields."""
    values = read_toml(path, "spec")
    try:
        return ClaimSpec.model_validate(values)
    except SynthError as exc:
        raise SynthError(f"{path}: {exc.message}", exc.hint) from exc
    except ValidationError as exc:
        raise invalid(
            exc, str(path), f"fix that key (keys: {', '.join(ClaimSpec.model_fields)})"
        ) from exc
