"""Judicial outcomes: conviction rates, plea against trial, the distribution of sentences.

Outcome labels are classified by words they contain, so that the generic layout's labels
("conviction", "acquittal", "dismissal"), the US federal ones ("convicted by plea") and French or
Dutch ones left untranslated ("condamnation", "veroordeling", "vrijspraak") work.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from unveil.stats import trends

OutcomeClass = Literal["conviction", "acquittal", "dismissal", "other"]
SENTENCE_BANDS = (
    (0, 12, "under 1 year"),
    (12, 60, "1 to 5 years"),
    (60, 120, "5 to 10 years"),
    (120, 240, "10 to 20 years"),
    (240, float("inf"), "20 years or more"),
)
OUTCOME_INDICATORS = ("defendants", "judicial_decisions")


def outcome_class(label: str) -> OutcomeClass:
    """Conviction, acquittal, dismissal or other, from an outcome label (a plea is a conviction)."""
    text = label.lower()
    if "acquit" in text or "not guilty" in text or "vrijspr" in text or "vrijgespr" in text:
        return "acquittal"
    if any(word in text for word in ("convict", "guilty", "sentenc", "condamn", "veroordeel")) or text.startswith(
        "plea"
    ):
        return "conviction"
    if any(word in text for word in ("dismiss", "withdraw", "drop", "non-lieu", "buitenvervolging")):
        return "dismissal"
    return "other"


def decision_route(label: str) -> str:
    """``plea`` when a conviction came from a guilty plea, else ``trial``."""
    return "plea" if "plea" in label.lower() else "trial"


def outcomes(frame: pd.DataFrame) -> pd.DataFrame:
    """Outcome rows (by the ``outcome`` dimension) of any outcome indicator, with their class."""
    data = frame[frame["indicator"].isin(OUTCOME_INDICATORS) & (frame["dimension"] == "outcome")]
    return data.assign(outcome_class=data["category"].map(outcome_class))


def conviction_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Per year: decisions, convictions, acquittals, dismissals and the conviction rate.

    The rate is convictions over decided outcomes (convictions, acquittals and dismissals). Counts
    put each suppressed cell (``<5``) at the middle of its range (2.5); ``*_suppressed`` columns
    count the suppressed cells behind each figure, so that a table can show the range.
    """
    columns = ["year", "conviction", "acquittal", "dismissal", "decided", "rate", "refs"]
    data = outcomes(frame)
    if data.empty:
        return pd.DataFrame(columns=columns)
    yearly = trends.series(data.assign(category=data["outcome_class"]), by="category")
    yearly = yearly.assign(middle=yearly["value"] + trends.SUPPRESSED_MIDDLE * yearly["suppressed"])
    wide = yearly.pivot_table(index="year", columns="category", values="middle", aggfunc="sum", fill_value=0.0)
    hidden = yearly.pivot_table(index="year", columns="category", values="suppressed", aggfunc="sum", fill_value=0)
    for name in ("conviction", "acquittal", "dismissal"):
        if name not in wide:
            wide[name] = 0.0
        wide[f"{name}_suppressed"] = hidden.get(name, 0)
    wide["decided"] = wide["conviction"] + wide["acquittal"] + wide["dismissal"]
    wide["decided_suppressed"] = (
        wide["conviction_suppressed"] + wide["acquittal_suppressed"] + wide["dismissal_suppressed"]
    )
    wide["rate"] = np.where(
        wide["decided"] > 0, wide["conviction"] / wide["decided"].where(wide["decided"] > 0), np.nan
    )
    refs = yearly.groupby("year")["refs"].agg(trends.concat_lists)
    extra = [f"{name}_suppressed" for name in ("conviction", "acquittal", "dismissal", "decided")]
    result = wide[["conviction", "acquittal", "dismissal", "decided", "rate", *extra]].reset_index()
    return result.assign(refs=result["year"].map(refs))


def plea_versus_trial(frame: pd.DataFrame) -> pd.DataFrame:
    """Convictions by plea and at trial, per year, with the share by plea (suppressed cells at 2.5)."""
    data = outcomes(frame)
    data = data[data["outcome_class"] == "conviction"]
    data = data.assign(route=data["category"].map(decision_route))
    if data.empty:
        return pd.DataFrame(columns=["year", "plea", "trial", "plea_share", "refs"])
    yearly = trends.series(data.assign(category=data["route"]), by="category")
    yearly = yearly.assign(middle=yearly["value"] + trends.SUPPRESSED_MIDDLE * yearly["suppressed"])
    wide = yearly.pivot_table(index="year", columns="category", values="middle", aggfunc="sum", fill_value=0.0)
    for name in ("plea", "trial"):
        if name not in wide:
            wide[name] = 0.0
    wide["plea_share"] = wide["plea"] / (wide["plea"] + wide["trial"])
    refs = yearly.groupby("year")["refs"].agg(trends.concat_lists)
    result = wide[["plea", "trial", "plea_share"]].reset_index()
    return result.assign(refs=result["year"].map(refs))


def sentence_distribution(frame: pd.DataFrame, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Sentenced persons per band of months in prison (from ``sentence_months`` rows)."""
    data = frame[frame["indicator"] == "sentence_months"]
    if years is not None:
        data = data[data["year"].between(*years)]
    rows = []
    for low, high, label in SENTENCE_BANDS:
        inside = data[(data["value"] >= low) & (data["value"] < high)]
        refs = (inside["source"] + "#" + inside["source_row"].astype(str)).tolist()
        rows.append({"band": label, "persons": len(inside), "refs": refs})
    table = pd.DataFrame(rows)
    total = table["persons"].sum()
    return table.assign(share=table["persons"] / total if total else 0.0)


def sentence_summary(frame: pd.DataFrame) -> dict[str, float]:
    """Median, quartiles and mean of months sentenced."""
    values = frame.loc[frame["indicator"] == "sentence_months", "value"].dropna()
    if values.empty:
        return {}
    quartiles = values.quantile([0.25, 0.5, 0.75])
    return {
        "persons": float(len(values)),
        "q1": float(quartiles[0.25]),
        "median": float(quartiles[0.5]),
        "q3": float(quartiles[0.75]),
        "mean": float(values.mean()),
    }
