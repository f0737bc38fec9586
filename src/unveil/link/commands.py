"""``unveil network DIR ID``: a network's summary and why each post belongs to it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from unveil.link.report import NetworkReport, itinerary, network_report
from unveil.workspace import Workspace

MAX_LINKS = 25


def register(app: typer.Typer) -> None:
    """Add the linking commands."""
    app.command()(network)


def network(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    network_id: Annotated[str, typer.Argument(metavar="ID", help="Network id, e.g. N00001.")],
) -> None:
    """Print a network's summary and why each post belongs to it."""
    report = network_report(Workspace.open(directory), network_id)
    console = Console()
    _print_summary(console, report)
    _print_links(console, report)
    _print_explanations(console, report)
    _print_movement(console, report)
    _print_posts(console, report)


def _print_summary(console: Console, report: NetworkReport) -> None:
    net = report.network
    console.print(f"[bold]Network {escape(net['network_id'])}[/]: {escape(str(net['summary']))}")
    console.print(f"first seen {net['first_seen']}, last seen {net['last_seen']}")
    console.print(f"languages: {escape(', '.join(net['languages'] or []) or 'unknown')}")
    risk = "unknown" if net["risk"] is None else f"{net['risk']:.2f}"
    console.print(f"risk: {risk}; indicator profile: {escape(str(net['profile'] or 'none'))}")


def _print_links(console: Console, report: NetworkReport) -> None:
    table = Table("kind", "identifier, template or photo", "links", title="What links its posts")
    for link in report.links[:MAX_LINKS]:
        table.add_row(link["kind"], escape(link["key"]), str(link["pairs"]))
    if len(report.links) > MAX_LINKS:
        table.add_row("", f"... and {len(report.links) - MAX_LINKS} more", "")
    console.print(table)
    for template in report.templates:
        generic = " [yellow]generic[/]" if template.get("generic") else ""
        console.print(
            f"template [bold]{template['template_id']}[/]{generic} ({template['posts']} posts): "
            f"{escape(template['text'])}"
        )
        if template.get("generic"):
            console.print(f"  {escape(template['reason'])}")
        for slot in template["slot_values"]:
            console.print(f"  slot {escape(slot)}")
    for hub in report.hubs:
        console.print(f"[yellow]hub[/] {escape(hub['reason'])}")


def _print_explanations(console: Console, report: NetworkReport) -> None:
    """Links without a shared identifier: the rare phrases (with their places) and habits both posts share."""
    if not report.explanations:
        return
    for row in report.calibration:
        if row["calibrated"]:
            console.print(f"[dim]{escape(row['method'])} threshold {row['threshold']}: {escape(row['note'])}[/]")
    for link in report.explanations:
        console.print(f"[bold]{escape(link.post_a)} - {escape(link.post_b)}[/] ({link.kind}): {escape(link.reason)}")
        for phrase in link.phrases:
            where = ", ".join(
                f"{post} chars {span[0]}-{span[1]}"
                for post, span in ((link.post_a, phrase.span_a), (link.post_b, phrase.span_b))
                if span is not None
            )
            console.print(f"  shared rare phrase {escape(repr(phrase.words))} (in {phrase.posts} posts; {where})")
        if link.habits:
            console.print(f"  shared habits: {escape('; '.join(link.habits))}")


def _print_movement(console: Console, report: NetworkReport) -> None:
    if not report.movements:
        return
    console.print(f"[bold]Movement[/]: {escape(itinerary(report.movements, None))}")
    phones = sorted({m["phone"] for m in report.movements if m["phone"] is not None})
    for phone in phones:
        console.print(f"  phone {escape(phone)}: {escape(itinerary(report.movements, phone))}")


def _print_posts(console: Console, report: NetworkReport) -> None:
    table = Table("post", "posted", "city", "why it belongs", title=f"{len(report.posts)} posts")
    for post in sorted(report.posts, key=lambda p: (str(p.get("posted_at")), p["post_id"])):
        posted = str(post.get("posted_at") or "")[:16]
        table.add_row(escape(post["post_id"]), posted, escape(post.get("city") or ""), escape(post["reason"]))
    console.print(table)
