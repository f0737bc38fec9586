"""A workspace: the folder that holds one investigation's data.

::

    workspace/
      unveil.toml          settings
      evidence/            raw captures, content-addressed by SHA-256
      custody.log          append-only, hash-chained log
      tables/<stage>/      Parquet tables, one folder per stage, one sub-folder per table
      quarantine/          records that could not be read, with the reason
      unveil.db            SQLite: users, roles, cases, notes, labels, saved searches, audit log
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unveil.config import SETTINGS_FILE, Settings, initial_settings_text, load_settings
from unveil.db import connect
from unveil.errors import WorkspaceError
from unveil.storage import exists, make_dirs, mount, move, read_text, remove_tree, write_text
from unveil.tables import TableRef

STATE_FILE = "_state.json"


@dataclass(frozen=True)
class Workspace:
    """An opened workspace folder and its validated settings."""

    root: Path
    settings: Settings

    @classmethod
    def init(cls, root: Path, name: str | None = None) -> Workspace:
        """Create the layout of a new workspace; refuse a folder that already holds one."""
        root = root.resolve()
        if (root / SETTINGS_FILE).exists():
            raise WorkspaceError(root, "is already a workspace")
        if root.exists() and not root.is_dir():
            raise WorkspaceError(root, "exists and is not a folder")
        for folder in ("evidence", "tables", "quarantine"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        (root / "custody.log").touch()
        (root / SETTINGS_FILE).write_text(initial_settings_text(name or root.name), "utf-8")
        workspace = cls.open(root)
        connect(workspace).close()
        return workspace

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """Open an existing workspace, with a clear error when the folder is not one."""
        root = Path(root).resolve()
        if not root.is_dir():
            raise WorkspaceError(root, "no such workspace folder (create one with `unveil init`)")
        if not (root / SETTINGS_FILE).exists():
            raise WorkspaceError(root, f"not a workspace: no {SETTINGS_FILE} (run `unveil init`)")
        return cls(root=root, settings=load_settings(root))

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def custody_log(self) -> Path:
        return self.root / "custody.log"

    @property
    def tables_dir(self) -> Path:
        """Root of the tables: ``tables/`` or ``tables_uri`` (a remote store's mount point, see unveil.storage)."""
        return mount(self.settings.tables_uri, self.root / "tables").root

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def database(self) -> Path:
        return self.root / "unveil.db"

    def stage_dir(self, stage: str) -> Path:
        """Folder of a stage's committed tables."""
        return self.tables_dir / stage

    def table(self, name: str) -> TableRef:
        """A committed table by its ``stage.table`` name."""
        stage, _, table = name.partition(".")
        if not table:
            raise ValueError(f"table names look like 'stage.table', not {name!r}")
        return TableRef(name, self.stage_dir(stage) / table)

    def read_state(self, stage: str) -> dict[str, Any] | None:
        """The state a stage recorded when it last committed, or None."""
        text = read_text(self.stage_dir(stage) / STATE_FILE)
        if text is None:
            return None
        state: dict[str, Any] = json.loads(text)
        return state

    def new_staging_dir(self, stage: str) -> Path:
        """A fresh temporary folder in which a stage writes its outputs."""
        path = self.tables_dir / ".staging" / f"{stage}-{uuid.uuid4().hex[:12]}"
        make_dirs(path)
        return path

    def commit_stage(self, stage: str, staging: Path, state: dict[str, Any]) -> None:
        """Record the state and swap the staging folder into place.

        A crash before the final rename leaves the old tables or none, never a mixture; a stage
        without committed tables is simply stale and runs again.
        """
        write_text(staging / STATE_FILE, json.dumps(state, indent=2, sort_keys=True))
        final = self.stage_dir(stage)
        trash = self.tables_dir / ".trash" / f"{stage}-{uuid.uuid4().hex[:12]}"
        make_dirs(trash.parent)
        if exists(final):
            move(final, trash)
        move(staging, final)
        remove_tree(trash)

    def write_state(self, stage: str, state: dict[str, Any]) -> None:
        """Atomically rewrite the state file of a stage whose tables are appended in place."""
        folder = self.stage_dir(stage)
        make_dirs(folder)
        write_text(folder / STATE_FILE, json.dumps(state, indent=2, sort_keys=True))

    def clean_leftovers(self) -> None:
        """Remove staging and trash folders left by a crashed run."""
        for name in (".staging", ".trash"):
            remove_tree(self.tables_dir / name)
