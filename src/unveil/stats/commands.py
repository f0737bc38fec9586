"""``unveil stats import|show|mse`` and ``unveil report``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from unveil.errors import UsageError
from unveil.workspace import Workspace

if TYPE_CHECKING:
    from unveil.stats.mse import MseEstimate

stats_app = typer.Typer(
    name="stats", help="Official statistics: import, show, estimate the hidden number.", no_args_is_help=True
)
console = Console()
REPORT_REPLICATES = 200  # BCa replicates for the report's hidden-number section (seconds, not minutes)


def register(app: typer.Typer) -> None:
    """Add the ``stats`` sub-commands and ``report``."""
    app.add_typer(stats_app, name="stats")
    app.command(name="report")(report)


@stats_app.command(name="import")
def import_command(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    sources: Annotated[list[Path], typer.Argument(help="Statistics files or folders (format detected).")],
) -> None:
    """Import statistics files into the workspace's harmonised table (re-import replaces)."""
    from unveil.stats import import_statistics

    workspace = Workspace.open(directory)
    summaries, skipped = import_statistics(workspace, sources)
    for s in summaries:
        console.print(
            f"{s.path.name}: {s.importer} layout, {s.rows_read:,} rows read, {s.observations:,} observations, "
            f"{s.rejected:,} rejected (quarantined), {s.labels_cleaned:,} labels cleaned",
            markup=False,
            highlight=False,
        )
    for line in skipped:
        console.print(f"skipped: {line}", markup=False, highlight=False)


@stats_app.command(name="show")
def show_command(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    indicator: Annotated[
        str | None, typer.Option(help="Show this indicator's series (else: what is in the table).")
    ] = None,
    by: Annotated[str, typer.Option(help="category, place or region.")] = "category",
    dimension: Annotated[str | None, typer.Option(help="Only this dimension (e.g. form_of_exploitation).")] = None,
    place: Annotated[list[str] | None, typer.Option(help="Only this place (repeatable).")] = None,
    source: Annotated[
        list[str] | None, typer.Option(help="Only this source (e.g. glotip:data_glotip.xlsx; repeatable).")
    ] = None,
    mappings: Annotated[bool, typer.Option("--mappings", help="Show the labels cleaned by the importers.")] = False,
) -> None:
    """Show what the harmonised table holds, one indicator's series, or the mapping reports."""
    from unveil.stats import trends
    from unveil.stats.report.sentences import bounded
    from unveil.stats.store import read_mappings, read_observations

    workspace = Workspace.open(directory)
    if mappings:
        _print_frame(read_mappings(workspace), "labels cleaned")
        return
    frame = read_observations(workspace)
    if frame.empty:
        console.print("No statistics imported yet (use `unveil stats import`).")
        return
    if indicator is None:
        summary = frame.groupby(["source", "indicator", "dimension"]).agg(
            rows=("value", "size"), first=("year", "min"), last=("year", "max")
        )
        _print_frame(summary.reset_index(), "harmonised statistics")
        return
    if by not in ("category", "place", "region"):
        raise UsageError(f"--by must be category, place or region, not {by!r}")
    if source:
        unknown = sorted(set(source) - set(frame["source"].unique()))
        if unknown:
            raise UsageError(f"unknown source {unknown[0]!r}; known: {sorted(frame['source'].unique())}")
    data = trends.select(frame, indicator, dimension, place, source)
    if data.empty:
        raise UsageError(f"no rows for indicator {indicator!r}; known: {sorted(frame['indicator'].unique())}")
    # one table per source: figures of different sources are never added together
    for name, part in data.groupby("source", sort=True):
        series = trends.series(part, by)
        series = series.assign(
            shown=[
                bounded(float(v), int(h)) + ("*" if h else "")
                for v, h in zip(series["value"], series["suppressed"], strict=True)
            ]
        )
        wide = series.pivot(index=by, columns="year", values="shown").fillna("–")
        _print_frame(wide.reset_index(), f"{indicator} by {by}: {name}")
        if (series["suppressed"] > 0).any():
            console.print("* includes cells suppressed at source (<5): the range the true count lies in")


def _print_frame(frame: object, title: str) -> None:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    table = Table(*map(str, frame.columns), title=title)
    for row in frame.itertuples(index=False):
        table.add_row(*(_shown(v) for v in row))
    console.print(table)


def _shown(value: object) -> str:
    """A cell as text: numbers with separators, missing values as a dash (never ``nan``)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


@stats_app.command(name="mse")
def mse_command(
    file: Annotated[Path, typer.Argument(help="Overlap table: 0/1 list columns and a count column (the last).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: estimate, lower, upper, model, ...")] = False,
    method: Annotated[
        str, typer.Option(help="Model choice: stepwise (the reference's rule), aic, bic, main or fixed.")
    ] = "stepwise",
    threshold: Annotated[float, typer.Option(help="p-value threshold of the stepwise rule.")] = 0.02,
    model: Annotated[str | None, typer.Option(help="A fixed model's interactions, e.g. 'D:E' or 'A:B,C:D'.")] = None,
    interval: Annotated[str, typer.Option(help="bca (bootstrap, the reference's) or profile (likelihood).")] = "bca",
    replicates: Annotated[int, typer.Option(min=20, help="Bootstrap replicates.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 1234,
    by: Annotated[
        str | None, typer.Option(help="Estimate each stratum of this column (e.g. year, region) separately.")
    ] = None,
) -> None:
    """Estimate the total number of victims, seen and unseen, by multiple systems estimation."""
    from unveil.stats.mse import (
        INTERVALS,
        METHODS,
        estimate_hidden_population,
        read_overlap_table,
        read_strata,
    )

    if method not in METHODS or interval not in INTERVALS:
        raise UsageError(f"--method is one of {', '.join(METHODS)}; --interval is bca or profile")
    if method == "fixed" and not model:
        raise UsageError("--method fixed needs --model (e.g. --model D:E)")

    def run(table: object) -> MseEstimate:
        return estimate_hidden_population(
            table,  # type: ignore[arg-type]
            method,
            interval,
            replicates,
            threshold,
            model,
            seed,
        )

    if by is None:
        estimate = run(read_overlap_table(file))
        for note in estimate.notes:
            typer.echo(f"warning: {note}", err=True)
        if as_json:
            typer.echo(json.dumps(estimate.to_dict()))
            return
        _print_estimate(estimate)
        return
    pooled_table, strata = read_strata(file, by)
    pooled = run(pooled_table)
    results = [(name, run(table)) for name, table in strata]
    if as_json:
        payload = pooled.to_dict()
        payload["by"] = by
        payload["pooled_note"] = "estimate, lower, upper and model are those of all strata pooled"
        payload["strata"] = [{"stratum": name, **e.to_dict()} for name, e in results]
        typer.echo(json.dumps(payload))
        return
    for name, estimate in results:
        console.print(f"[bold]{by} = {name}[/bold]")
        _print_estimate(estimate)
    console.print("[bold]all strata pooled[/bold]")
    _print_estimate(pooled)


def _print_estimate(estimate: MseEstimate) -> None:

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    say(f"observed on at least one list: {estimate.observed:,} ({len(estimate.lists)} lists)")
    for dropped in estimate.dropped:
        say(f"list dropped as uninformative: {dropped}")
    say(
        f"estimated total: {estimate.estimate:,.0f} "
        f"(95% {estimate.interval_method} interval {estimate.lower:,.0f} to {estimate.upper:,.0f})"
    )
    if estimate.profile and estimate.interval_method != "profile":
        say(f"profile-likelihood interval: {estimate.profile[0]:,.0f} to {estimate.profile[1]:,.0f}")
    chosen = estimate.method + (f", p-value threshold {estimate.threshold}" if estimate.threshold else "")
    say(f"model ({chosen}): {estimate.model}")
    if estimate.diagnostics:
        table = Table("model", "added", "p-value", "deviance", "df", "AIC", "BIC", "estimate", title="models tried")
        for row in estimate.diagnostics:
            table.add_row(
                str(row["model"]),
                str(row["added"] or ""),
                "" if row["p_value"] is None else f"{row['p_value']:.3g}",
                f"{row['deviance']:.2f}",
                str(row["df"]),
                f"{row['aic']:.2f}",
                f"{row['bic']:.2f}",
                f"{row['estimate']:,.0f}",
            )
        console.print(table)
    if estimate.thresholds:
        table = Table("threshold", "model", "estimate", title="the threshold's effect")
        for row in estimate.thresholds:
            table.add_row(str(row["threshold"]), str(row["model"]), f"{row['estimate']:,.0f}")
        console.print(table)
    for name, alt in estimate.alternatives.items():
        say(f"{name}: {alt['model']} -> {alt['estimate']:,.0f}")


def report(
    directory: Annotated[Path, typer.Argument(help="Workspace folder, or a folder of statistics files.")],
    out: Annotated[Path, typer.Option(help="Folder to write report.html, report.pdf and rows.csv into.")],
    year: Annotated[int | None, typer.Option(help="Year of the report (same as --to).")] = None,
    to: Annotated[int | None, typer.Option("--to", help="Year of the report (the end of comparisons).")] = None,
    first: Annotated[
        int | None, typer.Option("--from", help="Base year of comparisons and start of the tables' window.")
    ] = None,
    place: Annotated[
        list[str] | None,
        typer.Option(help="Only this place or region, in every section (repeatable); unknown places are refused."),
    ] = None,
    mse: Annotated[
        list[Path] | None, typer.Option(help="Overlap table to estimate the hidden number from (repeatable).")
    ] = None,
) -> None:
    """Write the annual report's figures section (HTML and PDF) for one year."""
    from unveil.stats.report import write_report
    from unveil.stats.sources import load_report_inputs

    if year is not None and to is not None and year != to:
        raise UsageError(f"--year {year} and --to {to} disagree: give one")
    chosen = to if to is not None else year
    if chosen is None:
        raise UsageError("give the report's year: --year YYYY (or --to YYYY)")
    frame, online = load_report_inputs(directory)
    estimates = _estimates(mse or [])
    written = write_report(frame, chosen, out, place or [], online, estimates, first)
    console.print(
        f"Wrote {out / 'report.html'}, {out / 'report.pdf'} and {out / 'rows.csv'} ({len(written.sections)} sections)"
    )


def _estimates(files: list[Path]) -> list[tuple[str, MseEstimate]]:
    from unveil.stats.mse import estimate_hidden_population, read_overlap_table

    return [
        (file.stem, estimate_hidden_population(read_overlap_table(file), replicates=REPORT_REPLICATES))
        for file in files
    ]
