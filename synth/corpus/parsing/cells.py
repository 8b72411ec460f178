"""What a table cell's text is (numbers, a dash, paired values) and how a rebuilt table's
rows are filed: shared by table finding, the cell sentences and the parse-quality report."""

from __future__ import annotations

import re

# A sign only before a figure, and each "separator, number" step taken whole (atomic): "-"
# is both a sign and a separator, and trying both readings at every step would take time
# exponential in the number of steps ("1--1--1--...").
_NUMBER = r"(?:[+\-−–](?=\.?\d))?(?:\d{1,3}(?:,\d{3})++|\d++)?(?:\.\d++)?(?:%|[kKMBT](?![a-z]))?"
_NUMERIC = re.compile(rf"\(?{_NUMBER}\)?(?>\s*+(?:/|±|\+/-|[–—-])\s*+\(?{_NUMBER}\)?)*+")
PLAIN = re.compile(r"[+\-−–]?\d[\d,]*+(?:\.\d++)?")
DASHES = frozenset({"-", "–", "—", "−", "--", "n/a", "N/A"})
_TABLE_SECTION = re.compile(r"^Table \S+$")


def table_section(number: str) -> str:
    """The section a table's rows are filed under: "Table 2".

    Args:
        number: The table's number as printed ("2", "A1", "IV").

    Returns:
        The section title.
    """
    return f"Table {number}"


def is_table_section(section: str) -> bool:
    """Whether a section title is a rebuilt table's (see :func:`table_section`).

    Args:
        section: A passage's section title.

    Returns:
        True for "Table 2" and the like.
    """
    return _TABLE_SECTION.match(section) is not None


def is_numeric(text: str) -> bool:
    """Whether a cell states numbers ("80.1", "+20.4", "76.1/60.0", "9,741", "3.2 ± 0.1").

    Args:
        text: A cell's text.

    Returns:
        True for numbers alone (footnote marks allowed), False for words and dashes.
    """
    bare = text.strip().rstrip("†‡§¶*⋆∗").strip()
    return any(c.isdigit() for c in bare) and _NUMERIC.fullmatch(bare) is not None


def value_parts(value: str) -> list[str]:
    """The parts of a paired cell or header ("76.1/60.0", "F1/EM"), stripped."""
    return [p.strip() for p in value.split("/")]
