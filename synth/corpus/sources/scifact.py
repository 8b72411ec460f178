"""SciFact's claim files (Wadden et al. 2020): one JSON object per line with ``id``,
``claim``, ``evidence`` ({doc_id: [{"sentences": [...], "label": "SUPPORT"|"CONTRADICT"}]})
and ``cited_doc_ids``. Citation-Integrity uses the same format, with "REFUTE" for
"CONTRADICT" and citation markers (``[<|cit|>]``) in its claims, which are dropped.
Abstracts are read by :mod:`synth.corpus.sources.local` (JSONL corpus).

The train/calibration/test split of training claims is a pure function of the claim id and
a seed, so ``synth models build`` and ``synth eval`` agree on it without sharing files."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from synth.core.errors import SynthError

Split = Literal["train", "calib", "test"]
GOLD_LABELS = ("SUPPORT", "CONTRADICT")
_LABEL_NAMES = {"SUPPORT": "SUPPORT", "CONTRADICT": "CONTRADICT", "REFUTE": "CONTRADICT"}
# Citation-Integrity marks the cited reference in the claim: "[<|cit|>]", "[<|multi_cit|>,7]"
_MARKER = re.compile(r"\s*\[\s*<\|\w+\|>[^\]]*\]")


@dataclass(frozen=True)
class Rationale:
    sentences: tuple[int, ...]
    label: str


@dataclass(frozen=True)
class SciFactClaim:
    id: str
    claim: str
    evidence: dict[str, tuple[Rationale, ...]]
    cited_doc_ids: tuple[str, ...]

    @property
    def gold(self) -> dict[str, str]:
        """doc_id -> label for every abstract with evidence (SciFact's abstract-level gold)."""
        return {doc: rats[0].label for doc, rats in self.evidence.items() if rats}

    @property
    def label(self) -> str:
        """The claim-level class: SUPPORT, CONTRADICT or NEI (no evidence)."""
        labels = set(self.gold.values())
        if not labels:
            return "NEI"
        return "CONTRADICT" if labels == {"CONTRADICT"} else "SUPPORT"


def _claim(record: object, where: str) -> SciFactClaim:
    if not isinstance(record, dict) or "id" not in record or not record.get("claim"):
        raise SynthError(f"{where}: not a SciFact claim", 'each line needs "id" and "claim"')
    evidence: dict[str, tuple[Rationale, ...]] = {}
    for doc, rats in (record.get("evidence") or {}).items():
        parsed = []
        for rat in rats:
            label = _LABEL_NAMES.get(str(rat.get("label")))
            if label is None:
                raise SynthError(
                    f"{where}: evidence label {rat.get('label')!r}",
                    f"labels are {', '.join(_LABEL_NAMES)}",
                )
            parsed.append(Rationale(tuple(int(s) for s in rat.get("sentences", ())), label))
        evidence[str(doc)] = tuple(parsed)
    cited = tuple(str(d) for d in record.get("cited_doc_ids") or evidence)
    text = _MARKER.sub("", str(record["claim"])).strip()
    return SciFactClaim(str(record["id"]), text, evidence, cited)


def read_claims(path: Path) -> list[SciFactClaim]:
    """Every claim in a SciFact claims file; a malformed line is an error naming the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SynthError(f"{path}: cannot read the claims ({exc})", "give a JSONL file") from exc
    claims = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SynthError(f"{path}:{number}: not JSON ({exc.msg})", "fix that line") from exc
        claims.append(_claim(record, f"{path}:{number}"))
    if not claims:
        raise SynthError(f"{path}: no claims", "give a SciFact-format claims file")
    return claims


def split_of(claim_id: str, seed: int, calib: float = 0.1, test: float = 0.2) -> Split:
    """Which split a training claim belongs to: hashed, so stable across runs and machines."""
    digest = hashlib.sha256(f"{seed}:{claim_id}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") / 2**64
    if bucket < test:
        return "test"
    return "calib" if bucket < test + calib else "train"
