"""The harmonised statistics table: one long table for every official figure.

Each row is one observation: a value of an ``indicator`` for one ``category`` of a ``dimension``
(form of exploitation, nationality, offence type, outcome...), in a ``place`` and a ``year``.
Rows keep their provenance (``source``, ``source_row``: the line or spreadsheet row they come from)
so that every published number can be traced back. Cross-classified sources (victims by
nationality *and* form of exploitation) give one row per dimension; the other classifications of
the same cell go in ``breakdown`` (``key=value;key=value``), ``sex`` and ``age``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

SUPPRESSED = "<5"
TOTAL = "Total"

OBSERVATION_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("dimension", pa.string()),
        ("category", pa.string()),
        ("place", pa.string()),
        ("year", pa.int32()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("flags", pa.string()),
        ("source", pa.string()),
        ("source_row", pa.int64()),
        ("region", pa.string()),
        ("sex", pa.string()),
        ("age", pa.string()),
        ("breakdown", pa.string()),
        ("synthetic", pa.bool_()),
    ]
)

MAPPING_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("field", pa.string()),
        ("raw", pa.string()),
        ("cleaned", pa.string()),
        ("rule", pa.string()),
        ("rows", pa.int64()),
    ]
)

COLUMNS = [f.name for f in OBSERVATION_SCHEMA]


@dataclass
class Observation:
    """One harmonised row, as importers build it."""

    indicator: str
    dimension: str
    category: str
    place: str
    year: int
    value: float | None
    unit: str
    source: str
    source_row: int
    flags: str = ""
    region: str | None = None
    sex: str = TOTAL
    age: str = TOTAL
    breakdown: str = ""
    synthetic: bool = False


@dataclass
class MappingReport:
    """The labels an importer cleaned: raw label, cleaned label, the rule applied, how many rows."""

    source: str
    entries: dict[tuple[str, str, str, str], int] = field(default_factory=dict)

    def record(self, field_name: str, raw: str, cleaned: str, rule: str) -> None:
        """Count one cleaning of ``raw`` into ``cleaned`` (identical labels are not recorded)."""
        if raw == cleaned:
            return
        key = (field_name, raw, cleaned, rule)
        self.entries[key] = self.entries.get(key, 0) + 1

    def to_frame(self) -> pd.DataFrame:
        """The report as a table in the layout of ``MAPPING_SCHEMA``."""
        rows = [
            {"source": self.source, "field": f, "raw": r, "cleaned": c, "rule": rule, "rows": n}
            for (f, r, c, rule), n in sorted(self.entries.items())
        ]
        return pd.DataFrame(rows, columns=MAPPING_SCHEMA.names)


def observations_frame(observations: list[Observation]) -> pd.DataFrame:
    """Observations as a DataFrame with the harmonised columns and types."""
    frame = pd.DataFrame([o.__dict__ for o in observations], columns=COLUMNS)
    return conform(frame)


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame the harmonised columns in order, with their dtypes."""
    frame = frame.reindex(columns=COLUMNS)
    frame["year"] = frame["year"].astype("int32")
    frame["value"] = frame["value"].astype("float64")
    frame["source_row"] = frame["source_row"].astype("int64")
    frame["synthetic"] = frame["synthetic"].fillna(False).astype(bool)
    for name in ("flags", "breakdown"):
        frame[name] = frame[name].fillna("").astype(str)
    for name in ("sex", "age"):
        frame[name] = frame[name].fillna(TOTAL).astype(str)
    return frame


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """A harmonised frame as an Arrow table with the exact schema."""
    return pa.Table.from_pandas(conform(frame), schema=OBSERVATION_SCHEMA, preserve_index=False)


def empty_frame() -> pd.DataFrame:
    """A harmonised frame without rows."""
    return conform(pd.DataFrame(columns=COLUMNS))


def format_breakdown(values: dict[str, str]) -> str:
    """A dict into ``key=value;key=value`` (separators in values replaced)."""
    clean = {k: str(v).replace(";", ",").replace("=", "-") for k, v in values.items() if v not in (None, "")}
    return ";".join(f"{k}={v}" for k, v in clean.items())
