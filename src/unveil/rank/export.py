"""The label events of ``unveil.db`` as the source table ``labels.events``, for the ``rank`` stage.

Like ``ingest``, ``labels`` is a source the pipeline does not compute: ``export_labels`` writes
every label event (append-only, so a removed label is still there, as a ``cleared`` event) and
records a hash of their content. The ``rank`` stage declares ``labels.events`` as an input, so it
re-runs exactly when a label was given, changed or removed. ``unveil run`` exports before running.
"""

from __future__ import annotations

import hashlib
import json

import pyarrow as pa

from unveil.cases.labels import EVENT_COLUMNS, all_label_events
from unveil.tables import write_part
from unveil.workspace import Workspace

STAGE = "labels"
TABLE = "events"

EVENTS = pa.schema(
    [
        ("id", pa.int64()),
        ("at", pa.string()),
        ("actor", pa.string()),
        ("item_kind", pa.string()),
        ("item_ref", pa.string()),
        ("label", pa.string()),
        ("reason", pa.string()),
        ("case_id", pa.string()),
        ("detail", pa.string()),
    ]
)


def events_hash(events: list[dict[str, object]]) -> str:
    """SHA-256 of the events' content (what the ``rank`` stage's fingerprint sees)."""
    material = json.dumps([[event[c] for c in EVENT_COLUMNS] for event in events], ensure_ascii=False)
    return hashlib.sha256(material.encode()).hexdigest()


def export_labels(workspace: Workspace) -> bool:
    """Write ``labels.events`` if the label events changed since the last export; True if written."""
    events = all_label_events(workspace)
    digest = events_hash(events)
    recorded = (workspace.read_state(STAGE) or {}).get("outputs", {}).get(TABLE, {})
    if recorded.get("hash") == digest and workspace.table(f"{STAGE}.{TABLE}").exists():
        return False
    staging = workspace.new_staging_dir(STAGE)
    columns = {name: [event[name] for event in events] for name in EVENTS.names}
    write_part(staging / TABLE, pa.table(columns, schema=EVENTS), "part-0.parquet")
    workspace.commit_stage(STAGE, staging, {"outputs": {TABLE: {"rows": len(events), "hash": digest}}})
    return True
