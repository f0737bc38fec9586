"""Identifiers of every area: one class per type, in one registry (extract, money, cases, web search).

Each type finds its identifiers in free text (``find``), makes a written value canonical
(``normalise``) and checks it (``validate``). ``canonical`` is the one
way any area turns a written identifier (a post's span, a transfer's field, a search box) into
the value the tables hold, so the same phone, e-mail, account or wallet written in an ad and in
a transfer record is one value, and the online-to-money join sees it.

``find_identifiers`` runs the finders in an order that lets each mask the next: IBANs, wallets,
e-mails, web addresses and handles first, so that the phone reader never takes an account number
or a URL's digits for a phone.
"""

from __future__ import annotations

from unveil.identifiers.base import IdentifierType
from unveil.identifiers.email import Email
from unveil.identifiers.found import Found
from unveil.identifiers.handle import Handle
from unveil.identifiers.iban import Iban
from unveil.identifiers.phone import Phone, canonical_phone
from unveil.identifiers.regions import Regions
from unveil.identifiers.url import Url
from unveil.identifiers.wallet import Wallet

REGISTRY: dict[str, IdentifierType] = {
    kind.name: kind for kind in (Iban(), Wallet(), Email(), Url(), Handle(), Phone())
}  # fmt: skip
TYPES = tuple(REGISTRY)


def find_identifiers(text: str, region: str | Regions, extra_masks: list[tuple[int, int]] | None = None) -> list[Found]:
    """Every identifier in ``text`` by position.

    ``region``: the record's country, or the ``Regions`` (ranked evidence) phone numbers are read in.

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


def canonical(id_type: str, raw: str | None, region: str = "BE") -> str | None:
    """The canonical value of an identifier written in a field, or None when it is not a valid one.

    ``region``: the country a phone written without ``+``/``00`` is read in. Phones become E.164
    only when valid (a partial number is None, never an invalid ``+32...``); e-mails lose spaces and
    case (``ana .pop@Mail.be`` is ``ana.pop@mail.be``); IBANs are compact upper case with a valid
    checksum; wallets valid by checksum, Bitcoin bech32 and Ethereum lower case; handles
    ``service:name``; URLs their domain.
    """
    if raw is None or not raw.strip():
        return None
    if id_type == "phone":
        return canonical_phone(raw, region)
    kind = REGISTRY.get(id_type)
    if kind is None:
        return raw.strip()
    value = kind.normalise(raw)
    return value if kind.validate(value) else None


__all__ = [
    "REGISTRY",
    "TYPES",
    "Email",
    "Found",
    "Handle",
    "Iban",
    "IdentifierType",
    "Phone",
    "Url",
    "Wallet",
    "canonical",
    "canonical_phone",
    "find_identifiers",
]
