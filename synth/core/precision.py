"""The verifier's arithmetic, kept apart from the settings so the CLI can name its build
default without importing pydantic-settings (``synth --help`` stays instant)."""

from __future__ import annotations

from typing import Literal

Precision = Literal["auto", "fp32", "bf16"]  # the verifier's arithmetic (synth.verify.nli)
# what `synth models build` trains in by default: the arithmetic the shipped weights were
# trained in, so that the default build makes them again
BUILD_PRECISION: Precision = "bf16"
