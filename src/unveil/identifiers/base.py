"""The interface every identifier type implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from unveil.identifiers.found import Found
from unveil.identifiers.regions import Regions


class IdentifierType(ABC):
    """One kind of identifier: how to find it in text, make it canonical and check it."""

    name: ClassVar[str]

    @abstractmethod
    def find(self, text: str, region: str | Regions, masks: list[tuple[int, int]]) -> list[Found]:
        """Identifiers in ``text`` outside the ``masks`` spans; ``region`` is the default country."""

    @abstractmethod
    def normalise(self, value: str) -> str:
        """The canonical form of a value (idempotent)."""

    @abstractmethod
    def validate(self, value: str) -> bool:
        """True when a canonical value is a well-formed identifier of this type."""
