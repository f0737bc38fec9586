"""Sentences generated from numbers: "smuggling offences tripled between 2012 and 2016, mainly in ..."."""

from __future__ import annotations

from unveil.stats.trends import Growth, bounds


def number(value: float) -> str:
    """A count as text with thousands separators."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bounded(value: float, suppressed: int) -> str:
    """A count, or the range it lies in when some of its cells were suppressed (``<5``)."""
    if not suppressed:
        return number(value)
    low, high = bounds(value, suppressed)
    return f"{number(low)} to {number(high)}"


def percent(share: float) -> str:
    """A share as a percentage."""
    return f"{100 * share:.0f}%"


def change_phrase(change: Growth) -> str:
    """How a value changed, in words: doubled, tripled, rose by 40%, fell by half..."""
    factor = change.factor
    if factor is None:
        return "appeared" if change.end > 0 else "stayed at zero"
    words = ((1.9, 2.5, "doubled"), (2.5, 3.5, "tripled"), (3.5, 4.5, "quadrupled"))
    for low, high, word in words:
        if low <= factor < high:
            return word
    if factor >= 4.5:
        return f"rose {factor:.0f}-fold"
    if factor >= 1.05:
        return f"rose by {percent(factor - 1)}"
    if factor > 0.95:
        return "stayed about the same"
    if 0.4 <= factor <= 0.6:
        return "roughly halved"
    return f"fell by {percent(1 - factor)}"


def listing(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def trend_sentence(subject: str, change: Growth, drivers: list[str]) -> str:
    """``Commercial sex acts offences tripled between 2014 and 2018 (323 to 1,090), mainly in Texas.``"""
    phrase = change_phrase(change)
    text = (
        f"{subject} {phrase} between {change.start_year} and {change.end_year} "
        f"({number(change.start)} to {number(change.end)}"
    )
    rate = change.annual_rate
    steady = phrase == "stayed about the same"
    text += f", {percent(rate)} a year on average)" if rate is not None and not steady else ")"
    if drivers and not steady and change.end != change.start:
        text += f", mainly in {listing(drivers)}"
    return text + "."


def share_sentence(year: int, subject: str, total: str, parts: list[tuple[str, float]]) -> str:
    """``In 2018, 115 victims were detected (forced labour 65%, sexual exploitation 29%).``"""
    shown = ", ".join(f"{name} {percent(share)}" for name, share in parts[:4])
    return f"In {year}, {total} {subject}" + (f" ({shown})." if shown else ".")
