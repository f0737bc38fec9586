"""The identifier registry: one class per type, run in an order that lets each mask the next.

IBANs, wallets, e-mails, web addresses and handles are found first; their spans are masked so
that the phone reader never takes an account number or a URL's digits for a phone.
"""

from __future__ import annotations

from unveil.extract.found import Found
from unveil.extract.identifiers.base import IdentifierType
from unveil.extract.identifiers.email import Email
from unveil.extract.identifiers.handle import Handle
from unveil.extract.identifiers.iban import Iban
from unveil.extract.identifiers.phone import Phone
from unveil.extract.identifiers.url import Url
from unveil.extract.identifiers.wallet import Wallet

REGISTRY: dict[str, IdentifierType] = {
    kind.name: kind for kind in (Iban(), Wallet(), Email(), Url(), Handle(), Phone())
}  # fmt: skip
TYPES = tuple(REGISTRY)


def find_identifiers(text: str, region: str, extra_masks: list[tuple[int, int]] | None = None) -> list[Found]:
    """Every identifier in ``text`` (``region``: default country of phone numbers), by position.

    ``extra_masks`` are spans already known not to be identifiers (prices, ages).
    """
    masks = list(extra_masks or [])
    found: list[Found] = []
    for kind in REGISTRY.values():
        items = kind.find(text, region, masks)
        if items:  # most finders find nothing in most posts: no generator, no sort for nothing
            found.extend(items)
            masks.extend((item.start, item.end) for item in items if item.type != "handle")
    if len(found) > 1:
        found.sort(key=lambda item: (item.start, item.end, item.type))
    return found


__all__ = ["REGISTRY", "TYPES", "Email", "Found", "Handle", "Iban", "IdentifierType", "Phone", "Url", "Wallet"]
