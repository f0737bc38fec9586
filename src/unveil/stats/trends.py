"""Series, growth, shares and the drivers of a change, computed from the harmonised table.

Every result keeps ``refs``: the ``source#row`` references of the rows behind each number, so
that a report can show where each figure comes from. Suppressed cells (``<5``) count as zero in
``value`` and are counted in ``suppressed``: a figure is the range ``value + 1..4 x suppressed``,
and growth, shares and tests use the middle of that range (never zero).

Aggregates and non-places ("Nationals", "Not stated", "Other", a blank region) are counted in
totals but never ranked or named as places or nationalities (``is_aggregate``). A trend is told
over a fixed panel (the units, districts or agencies, reporting in both years) beside the raw
totals, and is called a change only when a Poisson rate test says so (``rate_test``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pandas as pd
from scipy import stats

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


SUPPRESSED_LOW, SUPPRESSED_HIGH = 1, 4
SUPPRESSED_MIDDLE = (SUPPRESSED_LOW + SUPPRESSED_HIGH) / 2
SIGNIFICANCE = 0.05
NON_PLACES = {
    "", "nan", "none", "not stated", "unknown", "nationals", "other", "others", "all places", "total", "abroad",
    "not known", "unspecified", "various", "stateless", "n/a", "world", "all",
}  # fmt: skip
_AGGREGATE = re.compile(r"\b(other|others|total|unknown|not stated|unspecified|and \.|nationals)\b", re.I)


def is_aggregate(label: object) -> bool:
    """True for labels that are not one place or nationality: "Nationals", "Not stated", "Other Europe", blank."""
    text = str(label if label is not None else "").strip()
    return text.lower() in NON_PLACES or bool(_AGGREGATE.search(text)) or text.endswith(" .")


@dataclass(frozen=True)
class Growth:
    """Change of a value between two years; ``start``/``end`` count suppressed cells as zero."""

    start_year: int
    end_year: int
    start: float
    end: float
    start_suppressed: int = 0
    end_suppressed: int = 0

    @property
    def start_middle(self) -> float:
        """The start value with each suppressed cell at the middle of its range (2.5)."""
        return self.start + SUPPRESSED_MIDDLE * self.start_suppressed

    @property
    def end_middle(self) -> float:
        """The end value with each suppressed cell at the middle of its range (2.5)."""
        return self.end + SUPPRESSED_MIDDLE * self.end_suppressed

    @property
    def factor(self) -> float | None:
        """``end / start`` on the middles (None when start is zero)."""
        return self.end_middle / self.start_middle if self.start_middle else None

    @property
    def annual_rate(self) -> float | None:
        """Compound annual growth rate between the two years (None when undefined)."""
        years = self.end_year - self.start_year
        factor = self.factor
        if factor is None or years <= 0 or factor <= 0:
            return None
        return float(factor ** (1 / years) - 1)

    @property
    def p_value(self) -> float:
        """Poisson rate test (see ``rate_test``) at the least favourable values of suppressed cells.

        A rise is tested between the start's highest and the end's lowest possible values (a fall
        the other way round), so a change is stated only when it holds whatever the suppressed
        cells hold; when the ranges overlap the p-value is 1.
        """
        start_low = self.start + SUPPRESSED_LOW * self.start_suppressed
        start_high = self.start + SUPPRESSED_HIGH * self.start_suppressed
        end_low = self.end + SUPPRESSED_LOW * self.end_suppressed
        end_high = self.end + SUPPRESSED_HIGH * self.end_suppressed
        if self.end_middle >= self.start_middle:
            return rate_test(start_high, end_low) if end_low > start_high else 1.0
        return rate_test(start_low, end_high) if end_high < start_low else 1.0

    @property
    def significant(self) -> bool:
        """True when the rate test rejects equal counts at 5%."""
        return self.p_value < SIGNIFICANCE


def rate_test(first: float, second: float) -> float:
    """p-value of the hypothesis that two Poisson counts (same exposure) have the same rate.

    Conditional on their sum ``n``, the second count is binomial(``n``, 1/2) under that
    hypothesis; the exact two-sided binomial test gives the p-value.
    """
    a, b = round(first), round(second)
    if a + b == 0:
        return 1.0
    return float(stats.binomtest(b, a + b, 0.5).pvalue)


def growth(yearly: pd.DataFrame, start_year: int, end_year: int) -> Growth:
    """Growth between two years of a frame with ``year``, ``value`` (and ``suppressed``) columns."""
    values = dict(zip(yearly["year"].astype(int), yearly["value"].astype(float), strict=True))
    hidden = (
        dict(zip(yearly["year"].astype(int), yearly["suppressed"].astype(int), strict=True))
        if "suppressed" in yearly
        else {}
    )
    return Growth(
        start_year,
        end_year,
        values.get(start_year, 0.0),
        values.get(end_year, 0.0),
        hidden.get(start_year, 0),
        hidden.get(end_year, 0),
    )


def units(frame: pd.DataFrame) -> pd.Series:
    """The reporting unit of each row: the place, or the agency where the source names one (UCR)."""
    agency = frame["breakdown"].fillna("").str.extract(r"(ori=[^;]+)", expand=False).fillna("")
    return frame["place"].fillna("") + "|" + agency


@dataclass(frozen=True)
class Panel:
    """The units reporting in each of two years, and the rows of those reporting in both."""

    start_units: int
    end_units: int
    both: int
    rows: pd.DataFrame

    @property
    def changed(self) -> bool:
        """True when coverage changed: the units reporting are not the same in both years."""
        return not (self.start_units == self.end_units == self.both)


def panel(frame: pd.DataFrame, start_year: int, end_year: int) -> Panel:
    """The fixed panel between two years: units (places or agencies) with rows in both years."""
    unit = units(frame)
    first = set(unit[frame["year"] == start_year])
    last = set(unit[frame["year"] == end_year])
    both = first & last
    return Panel(len(first), len(last), len(both), frame[unit.isin(both)])


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

    Sorted by the size of the contribution in the direction of the total change (groups that
    moved the other way come last, with negative contributions). Suppressed cells count at the
    middle of their range.
    """
    data = series(frame[frame["year"].isin([start_year, end_year])], by)
    data = data.assign(middle=data["value"] + SUPPRESSED_MIDDLE * data["suppressed"])
    wide = data.pivot_table(index=by, columns="year", values="middle", aggfunc="sum", fill_value=0.0)
    hidden = data.pivot_table(index=by, columns="year", values="suppressed", aggfunc="sum", fill_value=0)
    zero = pd.Series(0.0, index=wide.index)
    start = wide.get(start_year, zero)
    end = wide.get(end_year, zero)
    start_hidden = hidden[start_year].reindex(wide.index, fill_value=0) if start_year in hidden else zero
    end_hidden = hidden[end_year].reindex(wide.index, fill_value=0) if end_year in hidden else zero
    change = end - start
    total_change = float(change.sum())
    result = pd.DataFrame(
        {
            by: wide.index,
            "start": start.values,
            "end": end.values,
            "change": change.values,
            "start_suppressed": start_hidden.astype(int).values,
            "end_suppressed": end_hidden.astype(int).values,
        }
    )
    result["contribution"] = result["change"] / total_change if total_change else 0.0
    sign = 1.0 if total_change >= 0 else -1.0
    return (
        result.assign(order=-sign * result["change"])
        .sort_values(["order", by])
        .drop(columns="order")
        .reset_index(drop=True)
    )


def main_drivers(table: pd.DataFrame, by: str = "place", cover: float = 0.75, most: int = 5) -> list[str]:
    """The places behind a change, named until they cover most of it.

    Groups moving in the direction of the total change are taken largest first until they make
    ``cover`` of it; a group close behind the last one named (at least two thirds of its
    contribution) is named too, so that the third of three similar districts is never dropped.
    Aggregates ("Other", "Not stated", a blank region) are never named.
    """
    chosen: list[str] = []
    reached = 0.0
    last = 0.0
    for _, row in table.iterrows():
        contribution = float(row["contribution"])
        if contribution <= 0 or len(chosen) == most:
            break
        if reached >= cover and contribution < last * 2 / 3:
            break
        if is_aggregate(row[by]):
            continue
        chosen.append(str(row[by]))
        reached += contribution
        last = contribution
    return chosen


def opposite_drivers(table: pd.DataFrame, by: str = "place", most: int = 3) -> list[str]:
    """The largest groups that moved against the total change (the other direction), named places only."""
    against = table[(table["contribution"] < 0) & ~table[by].map(is_aggregate)]
    return [str(name) for name in against.sort_values("contribution")[by].head(most)]


def covering(shares_table: pd.DataFrame, by: str, share: float = 0.5, most: int = 6) -> tuple[list[str], float]:
    """The fewest named groups (largest first, no aggregates) that make at least ``share`` of the total."""
    chosen: list[str] = []
    reached = 0.0
    for row in shares_table.to_dict("records"):
        if reached >= share or len(chosen) == most:
            break
        if is_aggregate(row[by]):
            continue
        chosen.append(str(row[by]))
        reached += float(row["share"])
    return chosen, reached
