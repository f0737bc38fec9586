"""Running the pipeline on a terminal: progress bars, then one line per stage that ran."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console

from unveil.pipeline import StageResult, run_pipeline
from unveil.workspace import Workspace


def run_on_terminal(
    workspace: Workspace,
    engine_name: str,
    console: Console,
    *,
    only: Sequence[str] | None = None,
    force: bool = False,
    options: Mapping[str, str] | None = None,
) -> list[StageResult]:
    """Run stale stages with progress bars and report what ran (or that nothing had to)."""
    from unveil.engine import create_engine
    from unveil.ingest.rebuild import rebuild_ingest
    from unveil.progress import RichProgress
    from unveil.stages import all_stages

    rebuilt = rebuild_ingest(workspace)  # ingest parts that no longer match the custody log, read again
    if rebuilt is not None:
        for note in rebuilt.notes:
            console.print(note, markup=False, highlight=False, soft_wrap=True)
        console.print(
            f"ingest rebuilt from the evidence: {rebuilt.files:,} source(s) read again, "
            f"{rebuilt.stored:,} row(s) restored, {rebuilt.duplicates:,} already present"
        )
    progress = RichProgress()
    with create_engine(engine_name, workspace.settings, options) as engine:
        try:
            results = run_pipeline(workspace, engine, all_stages(), only=only, force=force, progress=progress)
        finally:
            progress.close()
    ran = [result for result in results if result.ran]
    if not ran:
        console.print("Nothing to do: every stage is up to date.")
    for result in ran:
        rows = ", ".join(f"{name} {count:,}" for name, count in result.rows.items())
        console.print(f"  {result.name:<10} {result.seconds:8.2f} s  {rows}")
    if ran:
        from unveil.web.commands import count_saved_searches

        counted = count_saved_searches(workspace)  # the dashboard shows their new posts without counting
        if counted:
            console.print(f"saved searches: new posts counted for {counted:,}")
    return results
