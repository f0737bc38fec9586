"""Signatures of custody heads and bundles (filled in by the signing step)."""

from __future__ import annotations

from typing import Any


def sign_head(seq: int, sha256: str) -> dict[str, Any]:
    """The content of ``custody.head`` for a last line."""
    return {"seq": seq, "sha256": sha256}
