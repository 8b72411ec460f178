"""Every test runs under its own SYNTH_HOME (and HOME), with no SYNTH_* setting leaking in
from the developer's shell, and with arXiv's politeness delays set to zero. The tests named
in tests/slow_tests.txt are marked ``slow`` (``make test-fast`` runs ``-m "not slow"``)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from synth.corpus.store import Store

REPO = Path(__file__).resolve().parents[1]
SLOW_TESTS = REPO / "tests" / "slow_tests.txt"


def slow_names(text: str) -> set[str]:
    """The names a slow list holds: one per line (a module path, a test, a test class, or
    one parametrized case, as pytest writes node ids), with ``#`` comments and blank lines
    left out."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return {line for line in lines if line}


def is_listed(nodeid: str, names: set[str]) -> bool:
    """Whether a test's node id, or the module, class or function it belongs to (every
    parametrized case of a listed test), is among ``names``."""
    parts = nodeid.split("[", 1)[0].split("::")
    owners = {"::".join(parts[: n + 1]) for n in range(len(parts))}
    return nodeid in names or not owners.isdisjoint(names)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark as slow the tests tests/slow_tests.txt names (kept in one list, not in each
    file: regenerate it from ``pytest --durations=0``)."""
    names = slow_names(SLOW_TESTS.read_text(encoding="utf-8"))
    for item in items:
        if is_listed(item.nodeid, names):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def synth_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("SYNTH_") and name != "SYNTH_SHARED_DATA":
            monkeypatch.delenv(name)
    home = tmp_path / "synth-home"
    monkeypatch.setenv("SYNTH_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("SYNTH_ARXIV_DELAY_SECONDS", "0")
    monkeypatch.setenv("SYNTH_ARXIV_BACKOFF_SECONDS", "0")
    return home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Third-party data (../shared/data, or SYNTH_SHARED_DATA): read in place, never copied."""
    root = Path(os.environ.get("SYNTH_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not root.is_dir():
        pytest.skip(f"shared data not found at {root} (set SYNTH_SHARED_DATA)")
    return root


@pytest.fixture(scope="session")
def arxiv_mirror(shared_data: Path) -> Path:
    """The recorded arXiv API responses (Atom files, CC0 metadata)."""
    return shared_data / "arxiv"


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port on 127.0.0.1 whose connections are accepted (by the kernel), never answered."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.fixture
def dropping_port() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts each connection and closes it before answering."""
    stop = threading.Event()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.05)

        def serve() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                conn.close()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        yield listener.getsockname()[1]
        stop.set()
        thread.join(timeout=5)


FAKE_ID = "2101.00001"
FAKE_TITLE = "A Made-Up Study of Transfer for Testing"
FAKE_ABSTRACT = (
    "We describe a study that does not exist. It reports a gain of 3.5 points from "
    "intermediate training. The numbers serve only to test synth."
)


def atom_feed(arxiv_id: str, version: str, title: str, abstract: str, authors: list[str]) -> str:
    """An arXiv API answer for one entry, in the layout the API uses (written for tests)."""
    names = "".join(f"<author><name>{a}</name></author>" for a in authors)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link href="http://arxiv.org/api/query?id_list={arxiv_id}" rel="self"/>
  <title type="html">ArXiv Query: id_list={arxiv_id}</title>
  <id>http://arxiv.org/api/test</id>
  <updated>2021-01-04T00:00:00-05:00</updated>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>100</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/{arxiv_id}{version}</id>
    <updated>2021-01-04T10:00:00Z</updated>
    <published>2021-01-01T10:00:00Z</published>
    <title>{title}</title>
    <summary>  {abstract}
</summary>
    {names}
    <link href="http://arxiv.org/abs/{arxiv_id}{version}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{arxiv_id}{version}" rel="related"
          type="application/pdf"/>
    <arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""


@pytest.fixture
def fake_mirror(tmp_path: Path) -> Path:
    """A mirror holding one invented paper (Atom entry + generated 5-page PDF) and one
    invented paper with no PDF."""
    from pdfgen import one_column_pdf

    root = tmp_path / "mirror"
    (root / "atom").mkdir(parents=True)
    (root / "pdf").mkdir()
    feed = atom_feed(FAKE_ID, "v2", FAKE_TITLE, FAKE_ABSTRACT, ["Ada Lovelace", "Alan Turing"])
    (root / "atom" / f"{FAKE_ID}.xml").write_text(feed)
    one_column_pdf(root / "pdf" / f"{FAKE_ID}v2.pdf")
    (root / "atom" / "2101.00002.xml").write_text(
        atom_feed("2101.00002", "v1", "No PDF Here", "Only an abstract. Nothing more.", ["B. C."])
    )
    return root


FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture
def shared_fixture(tmp_path: Path) -> Path:
    """A shared-data layout from the fixtures: the claim sets as they are, SciFact and
    Citation-Integrity both from the SciFact fixture (its first three claims as
    Citation-Integrity's dev claims)."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "claims", root / "claims")
    claims = FIXTURES / "scifact" / "claims.jsonl"
    for folder in (root / "scifact", root / "claims" / "citation-integrity"):
        folder.mkdir(parents=True)
        shutil.copy(FIXTURES / "scifact" / "corpus.jsonl", folder / "corpus.jsonl")
        shutil.copy(claims, folder / "claims_train.jsonl")
    dev = "".join(claims.read_text(encoding="utf-8").splitlines(keepends=True)[:3])
    (root / "claims" / "citation-integrity" / "claims_dev.jsonl").write_text(dev)
    return root


_TINY_TEXT = (
    "a the of in on by to and is are was were not no did do does more less than before "
    "after bed sleep onset warm bath cool water coffee memory recall morning afternoon "
    "evening walk walks mood points minutes percent study students adults older daily "
    "improve improves raise raises lower lowers gain gains delay delays screen screens "
    "noise reading music man woman child dog dogs person people food book guitar plays "
    "runs reads cooks "
)
_TINY_WORDS = _TINY_TEXT.split()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised 2-layer BERT with a 3-way NLI head and a tokenizer whose
    vocabulary is built here: a real Hugging Face model folder, loadable offline in
    milliseconds, for tests of the model adapters (its scores mean nothing)."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-model")
    chars = list("abcdefghijklmnopqrstuvwxyz0123456789.,;:!?%()-'\"")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
    vocab += [f"##{c}" for c in chars] + _TINY_WORDS
    (folder / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True)
    labels = {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, max_position_embeddings=512,
        num_labels=3, id2label=labels, label2id={v: k for k, v in labels.items()},
    )  # fmt: skip
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture
def tiny_models(tiny_model: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Select the tiny model as both embedder and verifier for this test."""
    monkeypatch.setenv("SYNTH_EMBED_MODEL", str(tiny_model))
    monkeypatch.setenv("SYNTH_VERIFY_MODEL", str(tiny_model))
    return tiny_model


# A tiny encoder for the experiment tests: a word-piece tokenizer trained here on a few
# invented sentences (plus every character of the Latin and Cyrillic blocks, so little is
# unknown), and a 4-layer BERT with random weights, saved as a transformers model folder.
ENCODER_SENTENCES = [
    "The committee approved the new budget after a long debate.",
    "A small dog was sleeping under the kitchen table.",
    "Researchers measured the temperature of the lake every morning.",
    "She did not expect the train to arrive so early.",
    "Der Hund schläft unter dem Tisch.",
    "Le comité a approuvé le nouveau budget.",
    "委员会批准了新的预算。",
    "Собака спит под столом.",
]


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-encoder")
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    alphabet = [chr(c) for c in range(0x20, 0x250)] + [chr(c) for c in range(0x400, 0x500)]
    trainer = trainers.WordPieceTrainer(
        vocab_size=600, special_tokens=specials, initial_alphabet=alphabet
    )
    tokenizer.train_from_iterator(ENCODER_SENTENCES, trainer)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.BertProcessing(("[SEP]", sep), ("[CLS]", cls))
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=512,
    )  # fmt: skip
    fast.save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(fast), hidden_size=32, num_hidden_layers=4, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=512, pad_token_id=fast.pad_token_id,
    )  # fmt: skip
    torch.manual_seed(0)
    BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    return folder


@pytest.fixture
def scifact_store() -> Iterator[Store]:
    """A store holding the SciFact fixture corpus: papers 201-206, one passage each."""
    from synth.core.settings import Settings
    from synth.corpus.ingest import Ingestor
    from synth.corpus.store import Store

    settings = Settings()
    with Store(settings.db_path) as store:
        list(Ingestor(store, settings).add_paths([FIXTURES / "scifact" / "corpus.jsonl"]))
        yield store


def permissions_bind(folder: Path) -> bool:
    """Whether this user is refused a write into a folder without write permission."""
    probe = folder / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "file").touch()
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
    return False
