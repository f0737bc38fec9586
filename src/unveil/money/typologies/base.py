"""What a typology detector is: a description, its published source, parameters, SQL and an explanation.

A detector's SQL (DuckDB dialect, kept portable so sqlglot transpiles it to Spark SQL) reads the
tables named in ``inputs`` and returns one row per suspicious party with at least the columns
``party_id``, ``score`` (0..1), ``transfer_ids``, ``amount_eur``, ``first_at`` and ``last_at``
(``post_ids`` when the detector itself finds posts), plus the evidence columns its ``explain``
function turns into plain-language reasons. The tables it may read:

- ``transfers``: ``money.transfers`` (normalised, with ``sender_party_id`` and ``receiver_party_id``);
- ``online``: party-to-post matches (``party_id``, ``post_id``, ``identifier_type``, ``identifier_value``);
- ``prices``: prices posted online with ``amount_eur`` added;
- ``identifiers``: ``extract.identifiers``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Row = Mapping[str, Any]
Parameters = Mapping[str, Any]
Explain = Callable[[Row, Parameters], list[str]]


@dataclass(frozen=True)
class TransferTypology:
    """One detector: what it looks for, who published it, its parameters and its SQL."""

    name: str
    title: str
    description: str
    source: str
    sql_template: str
    explain: Explain
    parameters: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ("transfers",)

    def sql(self, overrides: Parameters | None = None) -> str:
        """The SQL with its parameters filled in (overrides replace defaults)."""
        values = {**self.parameters, **(overrides or {})}
        return self.sql_template.format(**{key: sql_literal(value) for key, value in values.items()})

    def reasons(self, row: Row, overrides: Parameters | None = None) -> list[str]:
        """Plain-language reasons for one result row."""
        return self.explain(row, {**self.parameters, **(overrides or {})})


def sql_literal(value: Any) -> str:
    """A parameter as SQL text: numbers as they are, strings quoted, sequences as an IN list."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return ", ".join(sql_literal(item) for item in value)


def eur(amount: float | None) -> str:
    """An amount as 'EUR 1,234' for reasons."""
    return "EUR ?" if amount is None else f"EUR {amount:,.0f}"


def when(value: Any) -> str:
    """A timestamp as its date for reasons."""
    return "?" if value is None else str(value)[:10]


def listed(items: Any, limit: int = 5) -> str:
    """At most ``limit`` items joined by commas, with how many more."""
    values = [str(item) for item in (items or [])]
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
