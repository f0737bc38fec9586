"""Typology detectors: one module per typology, each with a description, its source, parameters and SQL."""

from __future__ import annotations

from unveil.money.typologies import (
    ad_site_payments,
    cash_to_source,
    funnel_account,
    lodging_for_others,
    many_senders,
    online_identifiers,
    smuggling_prices,
    structuring,
)
from unveil.money.typologies.base import TransferTypology

TYPOLOGIES: tuple[TransferTypology, ...] = (
    many_senders.TYPOLOGY,
    cash_to_source.TYPOLOGY,
    structuring.TYPOLOGY,
    funnel_account.TYPOLOGY,
    ad_site_payments.TYPOLOGY,
    lodging_for_others.TYPOLOGY,
    smuggling_prices.TYPOLOGY,
    online_identifiers.TYPOLOGY,
)

__all__ = ["TYPOLOGIES", "TransferTypology", "typology"]


def typology(name: str) -> TransferTypology:
    """The detector called ``name``."""
    for item in TYPOLOGIES:
        if item.name == name:
            return item
    raise KeyError(name)
