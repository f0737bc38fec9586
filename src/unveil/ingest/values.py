"""Parsing of the values that sources write in many ways: timestamps and amounts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%Y%m%d%H%M%S",
)
AMOUNT_JUNK = re.compile(r"[^\d,.\-+]")
DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
YEAR_FIRST = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_timestamp(value: object, date_format: str | None = None) -> datetime | None:
    """A UTC timestamp from ISO text, a common date layout, a Unix time, or a datetime.

    Naive times are taken as UTC (sources rarely say otherwise; the raw value stays in evidence).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    if date_format:
        try:
            return _utc(datetime.strptime(text, date_format))
        except ValueError:
            return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text))
    try:
        return _utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    quick = _common_layout(text)
    if quick is not None:
        return quick
    for layout in DATE_FORMATS:
        try:
            return _utc(datetime.strptime(text, layout))
        except ValueError:
            continue
    return None


def _common_layout(text: str) -> datetime | None:
    """Day-first (``31/12/2024 23:59``) and year-first (``2024/12/31``) dates without strptime's cost."""
    match = DAY_FIRST.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups()[:3])
    elif match := YEAR_FIRST.fullmatch(text):
        year, month, day = (int(g) for g in match.groups()[:3])
    else:
        return None
    hour, minute, second = (int(g or 0) for g in match.groups()[3:])
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_amount(value: object, decimal: str | None = None) -> float | None:
    """A number from ``1.234,56``, ``1,234.56``, ``€ 50``, ``-12.5`` or a numeric cell.

    Args:
        value: the raw cell.
        decimal: the decimal separator when the source declares it (``,`` or ``.``).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = AMOUNT_JUNK.sub("", str(value))
    if not re.search(r"\d", text):
        return None
    separator = decimal or _guess_decimal(text)
    thousands = "." if separator == "," else ","
    text = text.replace(thousands, "").replace(separator, ".")
    try:
        return float(text)
    except ValueError:
        return None


def _guess_decimal(text: str) -> str:
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_comma > last_dot:
        decimals = len(text) - last_comma - 1
        # "1,234" alone reads as thousands; "1.234,5" or "12,50" as a decimal comma
        return "." if decimals == 3 and last_dot == -1 else ","
    return "."
