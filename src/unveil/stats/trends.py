"""Series, growth, shares and the drivers of a change, computed from the harmonised table.

Every result keeps ``refs``: the ``source#row`` references of the rows behind each number, so
that a report can show where each figure comes from. Suppressed cells (``<5``) count as zero in
sums and are counted in ``suppressed`` so that a reader knows a sum is a lower bound.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from unveil.stats.schema import TOTAL

KEY = ["indicator", "dimension", "category", "place", "region", "year", "source"]


def select(
    frame: pd.DataFrame,
    indicator: str,
    dimension: str | None = None,
    places: list[str] | None = None,
    sources: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of one indicator, optionally of one dimension, some places, some sources."""
    mask = frame["indicator"] == indicator
    if dimension is not None:
        mask &= frame["dimension"] == dimension
    if places:
        mask &= frame["place"].isin(places)
    if sources:
        mask &= frame["source"].isin(sources)
    return frame[mask]


def cells(frame: pd.DataFrame) -> pd.DataFrame:
    """One value per cell (indicator, dimension, category, place, region, year, source).

    Where a source gives a sex-and-age total beside its breakdowns (GLOTIP), the total is used;
    otherwise the breakdowns are summed.
    """
    if frame.empty:
        return pd.DataFrame(columns=[*KEY, "value", "suppressed", "refs"])
    data = frame.assign(
        region=frame["region"].fillna(""),
        is_total=(frame["sex"] == TOTAL) & (frame["age"] == TOTAL),
        suppressed=frame["value"].isna().astype(int),
        value=frame["value"].fillna(0.0),
        refs=frame["source"] + "#" + frame["source_row"].astype(str),
    )
    has_total = data.groupby(KEY, dropna=False)["is_total"].transform("any")
    data = data[data["is_total"] | ~has_total]
    grouped = data.groupby(KEY, dropna=False, sort=True)
    return grouped.agg(value=("value", "sum"), suppressed=("suppressed", "sum"), refs=("refs", list)).reset_index()


def series(frame: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Values per ``by`` (category, place or region) and year, summed over everything else."""
    data = cells(frame)
    if data.empty:
        return pd.DataFrame(columns=[by, "year", "value", "suppressed", "refs"])
    grouped = data.groupby([by, "year"], sort=True)
    result = grouped.agg(value=("value", "sum"), suppressed=("suppressed", "sum"), refs=("refs", concat_lists))
    return result.reset_index()


def concat_lists(lists: pd.Series) -> list[str]:
    """Lists joined in linear time (``sum`` of lists is quadratic)."""
    return list(itertools.chain.from_iterable(lists))


def totals_by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """One total per year (over all categories and places)."""
    data = series(frame.assign(category="all"), by="category")
    return data.drop(columns=["category"])


@dataclass(frozen=True)
class Growth:
    """Change of a value between two years."""

    start_year: int
    end_year: int
    start: float
    end: float

    @property
    def factor(self) -> float | None:
        """``end / start`` (None when start is zero)."""
        return self.end / self.start if self.start else None

    @property
    def annual_rate(self) -> float | None:
        """Compound annual growth rate between the two years (None when undefined)."""
        years = self.end_year - self.start_year
        factor = self.factor
        if factor is None or years <= 0 or factor <= 0:
            return None
        return float(factor ** (1 / years) - 1)


def growth(yearly: pd.DataFrame, start_year: int, end_year: int) -> Growth:
    """Growth between two years of a frame with ``year`` and ``value`` columns (one row a year)."""
    values = dict(zip(yearly["year"].astype(int), yearly["value"].astype(float), strict=True))
    return Growth(start_year, end_year, values.get(start_year, 0.0), values.get(end_year, 0.0))


def growth_table(frame: pd.DataFrame, start_year: int, end_year: int, by: str = "category") -> pd.DataFrame:
    """Growth factor and annual rate of each ``by`` group between two years."""
    data = series(frame, by)
    rows = []
    for key, group in data.groupby(by, sort=True):
        change = growth(group, start_year, end_year)
        rows.append(
            {
                by: key,
                "start": change.start,
                "end": change.end,
                "factor": change.factor,
                "annual_rate": change.annual_rate,
            }
        )
    return pd.DataFrame(rows, columns=[by, "start", "end", "factor", "annual_rate"])


SUPPRESSED_LOW, SUPPRESSED_HIGH = 1, 4


def bounds(value: float, suppressed: int) -> tuple[float, float]:
    """The range a sum can take when ``suppressed`` of its cells were published as ``<5`` (1 to 4 each)."""
    return value + SUPPRESSED_LOW * suppressed, value + SUPPRESSED_HIGH * suppressed


def shares(frame: pd.DataFrame, year: int, by: str = "category") -> pd.DataFrame:
    """Each ``by`` group's value and share of the year's total, largest first.

    ``value`` counts suppressed cells as zero; ``low`` and ``high`` bound the true sum, and the
    share is computed on the middle of that range.
    """
    data = series(frame[frame["year"] == year], by)
    low = data["value"] + SUPPRESSED_LOW * data["suppressed"]
    high = data["value"] + SUPPRESSED_HIGH * data["suppressed"]
    middle = (low + high) / 2
    total = float(middle.sum())
    data = data.assign(low=low, high=high, share=middle / total if total else 0.0)
    return data.sort_values(["share", by], ascending=[False, True]).reset_index(drop=True)


def drivers(frame: pd.DataFrame, start_year: int, end_year: int, by: str = "place") -> pd.DataFrame:
    """Which groups drive the change between two years: each one's change and share of the total change.

    Sorted by the size of the contribution in the direction of the total change.
    """
    data = series(frame[frame["year"].isin([start_year, end_year])], by)
    wide = data.pivot_table(index=by, columns="year", values="value", aggfunc="sum", fill_value=0.0)
    start = wide[start_year] if start_year in wide else pd.Series(0.0, index=wide.index)
    end = wide[end_year] if end_year in wide else pd.Series(0.0, index=wide.index)
    change = end - start
    total_change = float(change.sum())
    result = pd.DataFrame({by: wide.index, "start": start.values, "end": end.values, "change": change.values})
    result["contribution"] = result["change"] / total_change if total_change else 0.0
    sign = 1.0 if total_change >= 0 else -1.0
    return (
        result.assign(order=-sign * result["change"])
        .sort_values(["order", by])
        .drop(columns="order")
        .reset_index(drop=True)
    )


def main_drivers(table: pd.DataFrame, by: str = "place", threshold: float = 0.6) -> list[str]:
    """The fewest groups (at most five) whose contributions reach ``threshold`` of the total change."""
    chosen: list[str] = []
    reached = 0.0
    for _, row in table.iterrows():
        if reached >= threshold or len(chosen) == 5 or row["contribution"] <= 0:
            break
        chosen.append(str(row[by]))
        reached += float(row["contribution"])
    return chosen
