"""A source folder's manifest: ``manifest.json`` at its top, written by whoever produced the folder.

It tells ingestion what in the folder is not evidence (with the reason, shown in the ingest
summary) and whether the data are synthetic, so the product needs to know nothing of a
producer's layout. The synthetic world (``unveil-synth``) writes one::

    {"manifest": 1, "producer": "unveil-synth", "synthetic": true,
     "not_evidence": {"truth/": "ground truth of a synthetic world, not evidence"}}

A key ending in ``/`` names a folder, any other key one file. The manifest itself is not evidence.
A missing or unreadable manifest is an empty one: every file is evidence, nothing is synthetic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
SELF = "the source folder's manifest (read by ingestion, not evidence)"


@dataclass(frozen=True)
class Manifest:
    """What a source folder's producer says of it."""

    found: bool = False
    synthetic: bool = False
    not_evidence: dict[str, str] = field(default_factory=dict)

    def why_not_evidence(self, relative: Path) -> str | None:
        """The reason a file (its path relative to the folder) is not evidence, or None when it is."""
        name = relative.as_posix()
        if name == MANIFEST and self.found:
            return SELF
        for key, reason in self.not_evidence.items():
            if key and (name.startswith(key) if key.endswith("/") else name == key):
                return reason
        return None


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a source folder (an empty one when there is none or it is not a manifest)."""
    try:
        document = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(document, dict) or document.get("manifest") != 1:
        return Manifest()
    skipped = document.get("not_evidence")
    entries = {str(k): str(v) for k, v in skipped.items()} if isinstance(skipped, dict) else {}
    return Manifest(True, document.get("synthetic") is True, entries)
