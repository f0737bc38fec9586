"""International bank account numbers, checked with ``schwifty``."""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from unveil.identifiers.base import IdentifierType
from unveil.identifiers.found import Found
from unveil.identifiers.regions import Regions

CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ \-.]?[A-Z0-9]{4}){2,7}(?:[ \-.]?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
)
GROUP_BREAK = re.compile(r"[ \-.]")
HINT = re.compile(r"[A-Z]{2}\d\d")


class Iban(IdentifierType):
    """IBANs without spaces, upper-case."""

    name = "iban"

    def find(self, text: str, region: str | Regions, masks: list[tuple[int, int]]) -> list[Found]:
        if HINT.search(text) is None:
            return []
        found: list[Found] = []
        for match in CANDIDATE.finditer(text):
            span = self._longest_valid_prefix(match.group())
            if span:
                value, length = span
                found.append(Found("iban", value, match.start(), match.start() + length, "iban-checksum"))
        return found

    def _longest_valid_prefix(self, raw: str) -> tuple[str, int] | None:
        ends = [m.start() for m in GROUP_BREAK.finditer(raw)] + [len(raw)]
        for end in sorted(ends, reverse=True):
            value = self.normalise(raw[:end])
            if self.validate(value):
                return value, end
        return None

    def normalise(self, value: str) -> str:
        return re.sub(r"[\s\-.]", "", value).upper()

    def validate(self, value: str) -> bool:
        try:
            IBAN(value)
        except (SchwiftyException, ValueError):
            return False
        return True
