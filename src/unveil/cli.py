"""The ``unveil`` command line.

Core commands (init, run, status, demo, synth, version) live here; each area adds its own
commands through a ``register(app)`` function in its ``unveil/<area>/commands.py`` module, listed
in ``COMMAND_GROUPS`` (one line per area; docs/development.md's table and a test follow it).
Every ``UnveilError`` becomes a one-line message and its exit code in ``main``; tracebacks
appear only with ``--debug``.
"""

from __future__ import annotations

import errno
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from unveil import __version__
from unveil.errors import UnveilError, UsageError
from unveil.runner import run_on_terminal
from unveil.workspace import Workspace

app = typer.Typer(
    name="unveil",
    help="Find trafficking and smuggling networks in online traces and money transfers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

COMMAND_MODULE = "commands"


@dataclass(frozen=True)
class CommandGroup:
    """An area's commands: ``unveil.<area>.commands.register(app)`` adds ``commands`` to the CLI."""

    area: str
    commands: tuple[str, ...]


COMMAND_GROUPS: tuple[CommandGroup, ...] = (
    CommandGroup("ingest", ("ingest",)),
    CommandGroup("evidence", ("verify",)),
    CommandGroup("extract", ("extract",)),
    CommandGroup("link", ("network",)),
    CommandGroup("money", ("money",)),
    CommandGroup("rank", ("label", "rank")),
    CommandGroup("cases", ("case", "verify-bundle", "export")),
    CommandGroup("stats", ("stats", "report")),
    CommandGroup("web", ("serve", "user")),
)

WorkspaceDir = Annotated[Path, typer.Argument(help="Workspace folder.")]


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    """Unveil: online investigation, financial cross-check, monitoring and reporting."""


@app.command()
def version() -> None:
    """Print the version."""
    console.print(__version__)


@app.command()
def init(
    directory: WorkspaceDir,
    name: Annotated[str | None, typer.Option(help="Name of the investigation.")] = None,
) -> None:
    """Create a new workspace."""
    from unveil.evidence.signing import ensure_key, local_fingerprint
    from unveil.ingest.store import ensure_ingest_tables

    key, created = ensure_key()
    workspace = Workspace.init(directory, name)
    ensure_ingest_tables(workspace)  # every ingest table exists from `unveil init` on
    console.print(f"Created workspace [bold]{workspace.root}[/] (settings in unveil.toml)")
    made = "created" if created else "found"
    console.print(f"Signing key {made}: {key} (fingerprint {local_fingerprint()})", markup=False, highlight=False)


@app.command()
def run(
    directory: WorkspaceDir,
    engine: Annotated[str | None, typer.Option(help="duckdb or spark (default: the workspace setting).")] = None,
    stage: Annotated[list[str] | None, typer.Option(help="Run only this stage (repeatable).")] = None,
    force: Annotated[bool, typer.Option(help="Run stages even when they are fresh.")] = False,
    master: Annotated[str | None, typer.Option(help="Spark master URL (spark engine only).")] = None,
    conf: Annotated[list[str] | None, typer.Option(help="Spark setting key=value (repeatable).")] = None,
) -> None:
    """Run every stage whose inputs changed."""
    workspace = Workspace.open(directory)
    options = _spark_options(master, conf)
    run_on_terminal(workspace, engine or workspace.settings.engine, console, only=stage, force=force, options=options)


def _spark_options(master: str | None, conf: list[str] | None) -> dict[str, str]:
    options: dict[str, str] = {}
    for item in conf or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--conf expects key=value, got {item!r}")
        options[key] = value
    if master:
        options["spark.master"] = master
    return options


@app.command()
def status(directory: WorkspaceDir) -> None:
    """Show each stage's state and each table's row count."""
    from unveil.evidence.parts import stage_problems
    from unveil.pipeline import stage_status
    from unveil.stages import SOURCE_STAGES, all_stages

    workspace = Workspace.open(directory)
    table = Table("stage", "state", "tables (rows)", "last run")
    changed: list[str] = []
    for source in SOURCE_STAGES:
        recorded = workspace.read_state(source) or {}
        problems = stage_problems(workspace, source)
        changed += problems
        table.add_row(source, "changed" if problems else "source", _rows(recorded.get("outputs", {})), "")
    for stage in all_stages():
        state = stage_status(workspace, stage)
        rows = ", ".join(f"{k} {v:,}" for k, v in state.rows.items())
        when = f"{state.finished_at} ({state.seconds:.1f} s)" if state.finished_at else ""
        table.add_row(stage.name, state.state, rows, when)
    console.print(table)
    for problem in changed:  # parts changed, removed or added outside the tool (or left by a crash)
        console.print(f"changed: {problem} (run `unveil verify`; re-ingest to restore)", markup=False, highlight=False)
    quarantined = _quarantine_count(workspace)
    console.print(f"Quarantined records: {quarantined:,}")


def _rows(outputs: dict[str, dict[str, int]]) -> str:
    return ", ".join(f"{name} {out['rows']:,}" for name, out in outputs.items())


def _quarantine_count(workspace: Workspace) -> int:
    return sum(sum(1 for _ in path.open(encoding="utf-8")) for path in workspace.quarantine_dir.glob("*.jsonl"))


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Workspace folder for the demo.")] = Path("demo-workspace"),
    posts: Annotated[int, typer.Option(min=10, help="Number of synthetic posts.")] = 20_000,
    serve_app: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web app afterwards.")] = True,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8000,
    seed: Annotated[int, typer.Option(help="Random seed of the synthetic world.")] = 7,
) -> None:
    """Generate a synthetic world, run the whole pipeline on it, then serve the web app."""
    from unveil.demo import run_demo

    workspace = run_demo(directory, posts=posts, seed=seed, console=console)
    if serve_app:
        from unveil.web.commands import serve_workspace

        serve_workspace(workspace, "127.0.0.1", port)


@app.command()
def synth(
    out: Annotated[Path, typer.Argument(help="Folder to write the synthetic world into.")],
    posts: Annotated[int, typer.Option(min=1, help="Number of posts.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same world, byte for byte).")] = 7,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes writing in parallel (the output does not depend on it).")
    ] = None,
) -> None:
    """Generate a synthetic world (posts, captures, exports, images, transfers, statistics) with its ground truth."""
    import time

    from unveil.demo import write_world

    started = time.perf_counter()
    summary = write_world(out, posts, seed, workers)
    seconds = time.perf_counter() - started
    counts = summary.counts
    console.print(
        f"Wrote {summary.posts:,} posts of {summary.networks:,} planted networks, "
        f"{counts.get('html', 0) + counts.get('warc', 0):,} page captures, "
        f"{counts.get('mto', 0) + counts.get('bank_csv', 0) + counts.get('bank_xlsx', 0):,} transfers "
        f"to {out} in {seconds:.1f} s ({summary.posts / seconds:,.0f} posts/s)"
    )


def _register_area_commands() -> None:
    """Import ``unveil.<area>.commands`` of every group in ``COMMAND_GROUPS`` and let it add its commands."""
    for group in COMMAND_GROUPS:
        importlib.import_module(f"unveil.{group.area}.{COMMAND_MODULE}").register(app)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into one-line messages with exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    _register_area_commands()
    command = typer.main.get_command(app)
    try:
        command.main(args=args, prog_name="unveil", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("aborted", 130)
    except typer.TyperException as exc:
        _usage_error(exc)
    except UnveilError as exc:
        if debug:
            raise
        _fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:
        if debug:
            raise
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:  # the command undid or journaled its work
            _fail(
                f"the disk is full ({exc.filename or exc}): nothing half-written was kept; free some space and "
                "run the command again (it completes or undoes what was interrupted)",
                1,
            )
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", 1)


def _usage_error(exc: typer.TyperException) -> None:
    """A wrong command, option or value: the help when no argument was given, else one line."""
    context = getattr(exc, "ctx", None)
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if type(exc).__name__ == "NoArgsIsHelpError":
        errors.print(message, markup=False, highlight=False)
        sys.exit(2)
    hint = f" (see `{context.command_path} --help`)" if context is not None else ""
    _fail(f"{message}{hint}", 2)


def _fail(message: str, code: int) -> None:
    errors.print(f"[red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    sys.exit(code)
