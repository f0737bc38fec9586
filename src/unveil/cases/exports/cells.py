"""Cells for spreadsheets and CSV: text that a spreadsheet will not run as a formula."""

from __future__ import annotations

from datetime import datetime
from typing import Any

FORMULA_START = ("=", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A value as text; a leading apostrophe defuses formulas written by criminals (``=HYPERLINK(...)``).

    A leading ``+`` or ``-`` is kept when a digit follows, so phone numbers (``+32...``) and negative amounts
    stay as they are.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    risky = text.startswith(FORMULA_START) or (text[:1] in "+-" and not text[1:2].isdigit() and len(text) > 1)
    return "'" + text if risky else text
