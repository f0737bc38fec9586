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
    return f"{number(low)}–{number(high)}"


def percent(share: float) -> str:
    """A share as a percentage."""
    return f"{100 * share:.0f}%"


def change_phrase(change: Growth) -> str:
    """How a value changed, in words (doubled, tripled, rose by 40%, fell by half...).

    Whether it changed at all is decided by a Poisson rate test (5%), not by a fixed margin:
    "did not change significantly" otherwise.
    """
    factor = change.factor
    if factor is None:
        return "appeared" if change.end_middle > 0 else "stayed at zero"
    if not change.significant:
        return "did not change significantly"
    words = ((1.9, 2.5, "doubled"), (2.5, 3.5, "tripled"), (3.5, 4.5, "quadrupled"))
    for low, high, word in words:
        if low <= factor < high:
            return word
    if factor >= 4.5:
        return f"rose {factor:.0f}-fold"
    if factor >= 1:
        return f"rose by {percent(factor - 1)}"
    if 0.4 <= factor <= 0.6:
        return "roughly halved"
    return f"fell by {percent(1 - factor)}"


def listing(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def p_text(p_value: float) -> str:
    """``p = 0.03`` or ``p < 0.001``."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.2g}"


def trend_sentence(subject: str, change: Growth, drivers: list[str], against: list[str] | None = None) -> str:
    """``Migrant smuggling offences tripled between 2012 and 2016 (63 to 194, ...; p < 0.001), mainly in ...``.

    Suppressed cells show as ranges; places that moved the other way are named too.
    """
    phrase = change_phrase(change)
    text = (
        f"{subject} {phrase} between {change.start_year} and {change.end_year} "
        f"({bounded(change.start, change.start_suppressed)} to {bounded(change.end, change.end_suppressed)}"
    )
    rate = change.annual_rate
    moved = phrase not in ("did not change significantly", "stayed at zero")
    if rate is not None and moved and change.end_year - change.start_year > 1:
        text += f", {percent(rate)} a year on average"
    text += f"; Poisson rate test {p_text(change.p_value)})"
    if drivers and moved:
        text += f", mainly in {listing(drivers)}"
        if against:
            text += f"; it moved the other way in {listing(against)}"
    return text + "."


def share_sentence(year: int, subject: str, total: str, parts: list[tuple[str, float]]) -> str:
    """``In 2018, 115 victims were detected (forced labour 65%, sexual exploitation 29%).``"""
    shown = ", ".join(f"{name} {percent(share)}" for name, share in parts[:4])
    return f"In {year}, {total} {subject}" + (f" ({shown})." if shown else ".")
