"""``unveil money DIR``: a summary of the financial alerts by typology, with their top reasons."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from unveil.errors import UsageError
from unveil.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add the money commands."""
    app.command(name="money")(money)


def money(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    top: Annotated[int, typer.Option(min=1, help="Alerts shown per typology.")] = 3,
) -> None:
    """Summarise the financial alerts by typology, with their top reasons."""
    workspace = Workspace.open(directory)
    alerts = workspace.table("money.alerts")
    if not alerts.exists():
        raise UsageError(f"{workspace.root}: no money tables yet (run `unveil run {directory}` first)")
    console = Console()
    from unveil.rank.explain import suppressed_alerts

    suppressed = suppressed_alerts(workspace)  # false positives labelled with a reason, no new transfers since
    by_typology = group_alerts([a for a in alerts.read().to_pylist() if a["alert_id"] not in suppressed])
    if suppressed:
        console.print(f"{len(suppressed):,} alerts suppressed as false positives (`unveil rank alerts` lists them)")
    console.print(summary_table(by_typology))
    for typology, items in by_typology.items():
        console.print(f"\n[bold]{items[0]['title']}[/] ({typology}) — {items[0]['source']}")
        for alert in items[:top]:
            console.print(_alert_lines(alert), markup=False, highlight=False)


def group_alerts(alerts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Alerts by typology, each group highest score first, groups by size."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alert in alerts:
        groups[alert["typology"]].append(alert)
    for items in groups.values():
        items.sort(key=lambda alert: (-alert["score"], alert["alert_id"]))
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def summary_table(by_typology: dict[str, list[dict[str, Any]]]) -> Table:
    """Counts, parties, amounts and network links per typology."""
    table = Table("typology", "alerts", "parties", "EUR", "with posts", "with networks", title="Money alerts")
    for typology, items in by_typology.items():
        table.add_row(
            typology,
            f"{len(items):,}",
            f"{len({alert['party_id'] for alert in items}):,}",
            f"{sum(alert['amount_eur'] or 0 for alert in items):,.0f}",
            f"{sum(1 for alert in items if alert['post_ids']):,}",
            f"{sum(1 for alert in items if alert['network_ids']):,}",
        )
    if not by_typology:
        table.add_row("(no alerts)", "0", "0", "0", "0", "0")
    return table


def _alert_lines(alert: dict[str, Any]) -> str:
    head = f"  {alert['alert_id']}  score {alert['score']:.2f}  {alert['party_name'] or alert['party_id']}"
    reasons = "".join(f"\n    - {reason}" for reason in alert["reasons"])
    return head + reasons
