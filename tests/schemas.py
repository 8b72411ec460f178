"""The documented JSON shapes (docs/schemas/), for tests that check real output."""

from __future__ import annotations

import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "docs" / "schemas"
SCHEMAS = {p.name.split(".")[0]: json.loads(p.read_text()) for p in FOLDER.glob("*.schema.json")}
