"""Exchange rates to EUR: a table the user provides in the workspace, or the shipped default.

The default (``data/rates_eur.csv``) holds 2024 annual averages of the ECB euro foreign exchange
reference rates and a few marked approximations; nothing is fetched from the network. A user puts
a ``rates.csv`` (columns ``currency``, ``units_per_eur``, optional ``source``) in the workspace
folder to override or add currencies.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from unveil.errors import InputError

DEFAULT_RATES = Path(__file__).parent / "data" / "rates_eur.csv"
WORKSPACE_RATES_FILE = "rates.csv"


@dataclass(frozen=True)
class Rate:
    """How many units of a currency one euro buys, and where that figure comes from."""

    currency: str
    units_per_eur: float
    source: str


def read_rates(path: Path) -> dict[str, Rate]:
    """Read a rates CSV; every row must have a currency code and a positive rate."""
    rates: dict[str, Rate] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            rate = _parse_row(path, number, row)
            rates[rate.currency] = rate
    return rates


def _parse_row(path: Path, number: int, row: dict[str, str]) -> Rate:
    currency = (row.get("currency") or "").strip().upper()
    try:
        units = float(row.get("units_per_eur") or "")
    except ValueError:
        units = 0.0
    if not currency or units <= 0:
        raise InputError(path, "needs a currency code and a positive units_per_eur", record=number)
    return Rate(currency, units, (row.get("source") or str(path.name)).strip())


def load_rates(workspace_root: Path | None = None) -> dict[str, Rate]:
    """The shipped default rates, overridden by the workspace's ``rates.csv`` when present."""
    rates = read_rates(DEFAULT_RATES)
    if workspace_root is not None and (workspace_root / WORKSPACE_RATES_FILE).is_file():
        rates.update(read_rates(workspace_root / WORKSPACE_RATES_FILE))
    return rates


def to_eur(amount: float | None, currency: str | None, rates: dict[str, float]) -> float | None:
    """The amount in EUR, or None when the amount or its currency's rate is unknown."""
    if amount is None or not currency:
        return None
    units = rates.get(currency.strip().upper())
    return None if units is None else round(amount / units, 2)
