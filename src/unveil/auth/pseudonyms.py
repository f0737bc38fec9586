"""Pseudonyms: identifiers masked consistently with a keyed hash, for analysts.

The same identifier always gets the same pseudonym in one workspace (so analysts still see that two
posts share a phone), and the pseudonym cannot be reversed without the workspace's ``secret_key``.
"""

from __future__ import annotations

import hashlib
import hmac


class Pseudonymiser:
    """Masks identifiers with HMAC-SHA256 keyed by the workspace secret."""

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"unveil-pseudonyms:" + secret_key.encode()).digest()

    def mask(self, kind: str, value: str) -> str:
        """``kind#xxxxxxxxxx``: stable for one (kind, value) in this workspace."""
        digest = hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}#{digest[:10]}"
