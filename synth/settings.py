"""One settings object with nested sections, read from ``SYNTH_*`` environment variables.

``SYNTH_HOME`` sets the home directory; a nested field is ``SYNTH_<SECTION>_<FIELD>``,
for example ``SYNTH_ARXIV_MIRROR`` or ``SYNTH_CHUNK_MAX_SENTENCES``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "synth"


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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SYNTH_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
    )

    home: Path = Field(default_factory=_default_home)
    arxiv: ArxivSettings = ArxivSettings()
    parse: ParseSettings = ParseSettings()
    chunk: ChunkSettings = ChunkSettings()

    @property
    def db_path(self) -> Path:
        return self.home / "synth.db"

    @property
    def pdf_cache(self) -> Path:
        return self.home / "cache" / "pdf"
