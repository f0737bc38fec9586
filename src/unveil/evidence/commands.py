"""``unveil verify``: recompute every evidence hash and the custody chain."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from unveil.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add the evidence commands."""
    app.command()(verify)


def verify(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    actor: Annotated[str | None, typer.Option(help="Who verifies (default: the OS user).")] = None,
    trusted_key: Annotated[
        list[str] | None,
        typer.Option("--trusted-key", help="Key fingerprint accepted for signatures besides this installation's."),
    ] = None,
    tsa_ca: Annotated[
        Path | None,
        typer.Option("--tsa-ca", help="Time-stamping authority CA certificate (checks custody.head's stamp)."),
    ] = None,
) -> None:
    """Recompute every evidence hash and the custody log's chain; exit 1 naming what changed."""
    from unveil.errors import IntegrityError
    from unveil.evidence.custody import CustodyLog, default_actor
    from unveil.evidence.recovery import recover
    from unveil.evidence.verify import verify_workspace
    from unveil.pipeline import workspace_lock

    workspace = Workspace.open(directory)
    console = Console()
    with workspace_lock(workspace, recover=False):
        for note in recover(workspace, actor):
            console.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
        result = verify_workspace(workspace, trusted_key, tsa_ca)
        for note in result.notes:
            console.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
        if not result.ok:
            for problem in result.problems:
                console.print(f"[red]✗[/] {problem}", markup=True, highlight=False, soft_wrap=True)
            raise IntegrityError(str(workspace.root), result.problems)
        CustodyLog(workspace).append(
            actor or default_actor(),
            "verification",
            [],
            {
                "blobs": result.blobs,
                "lines": result.lines,
                "parts": result.parts,
                "ok": True,
                **({"head_timestamp": result.timestamp} if result.timestamp_checked else {}),
            },
        )
    console.print(
        f"verified {result.blobs:,} evidence blobs and {result.lines:,} custody lines: intact "
        f"({result.parts:,} table parts match their custody events)"
    )
    if result.timestamp:
        how = (
            "checked against the authority's certificate" if result.timestamp_checked else "not checked: give --tsa-ca"
        )
        console.print(f"custody.head RFC 3161 time-stamp: {result.timestamp} ({how})", markup=False, highlight=False)
