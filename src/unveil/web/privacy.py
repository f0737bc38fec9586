"""What a user sees of identifiers: the values, or consistent pseudonyms for analysts."""

from __future__ import annotations

from collections.abc import Iterable

from unveil.auth.pseudonyms import Pseudonymiser


class PrivacyView:
    """Shows identifiers in clear, or masked when a pseudonymiser is given."""

    def __init__(self, pseudonymiser: Pseudonymiser | None) -> None:
        self.pseudonymiser = pseudonymiser

    @property
    def masked(self) -> bool:
        """True when this user sees pseudonyms."""
        return self.pseudonymiser is not None

    def identifier(self, kind: str, value: str) -> str:
        """An identifier as this user may see it."""
        return self.pseudonymiser.mask(kind, value) if self.pseudonymiser else value

    def person(self, value: str | None) -> str | None:
        """An author name, handle or URL: masked as a whole for analysts."""
        if value is None or self.pseudonymiser is None:
            return value
        return self.pseudonymiser.mask("author", value)

    def text(self, text: str, identifiers: Iterable[tuple[str, str, str]]) -> str:
        """A sentence (a snippet, a link reason) with identifiers masked: (kind, value, written form) triples."""
        return self.pseudonymiser.mask_in_text(text, identifiers) if self.pseudonymiser else text
