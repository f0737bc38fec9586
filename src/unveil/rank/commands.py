"""Commands: ``unveil label set|clear|history`` (workspace-wide labels with history) and
``unveil rank top|explain|like|alerts`` (the learned triage queue and why)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from unveil.workspace import Workspace

console = Console()
label_app = typer.Typer(
    name="label", help="Label posts, networks, templates, identifiers, parties, alerts.", no_args_is_help=True
)
rank_app = typer.Typer(name="rank", help="The triage queue learned from the labels, and why.", no_args_is_help=True)

WorkspaceDir = Annotated[Path, typer.Argument(help="Workspace folder.")]
Kind = Annotated[str, typer.Argument(help="post, network, template, identifier (type:value), party or alert.")]
Ref = Annotated[str, typer.Argument(help="The item's id (identifiers: type:value).")]
Actor = Annotated[str | None, typer.Option("--actor", help="Who does this (default: the system user).")]


def register(app: typer.Typer) -> None:
    """Add the label and rank commands."""
    app.add_typer(label_app)
    app.add_typer(rank_app)


@label_app.command("set")
def label_set(
    directory: WorkspaceDir,
    kind: Kind,
    ref: Ref,
    value: Annotated[
        str, typer.Argument(metavar="LABEL", help="true_positive, false_positive, not_relevant or unsure.")
    ],
    reason: Annotated[str, typer.Option(help="Why.")] = "",
    actor: Actor = None,
) -> None:
    """Label an item for the whole workspace (the old label stays in its history)."""
    from unveil.cases.labels import label_item

    event = label_item(Workspace.open(directory), kind, ref, value, actor or getpass.getuser(), reason)
    console.print(f"{kind} {ref} labelled {value} (event {event['id']}); `unveil run` retrains the ranking")


@label_app.command("clear")
def label_clear(
    directory: WorkspaceDir,
    kind: Kind,
    ref: Ref,
    reason: Annotated[str, typer.Option(help="Why.")] = "",
    actor: Actor = None,
) -> None:
    """Remove an item's current label (recorded as an event; the history stays)."""
    from unveil.cases.labels import clear_label

    clear_label(Workspace.open(directory), kind, ref, actor or getpass.getuser(), reason)
    console.print(f"{kind} {ref}: label cleared")


@label_app.command("history")
def label_history_command(directory: WorkspaceDir, kind: Kind, ref: Ref) -> None:
    """Every label an item was given, oldest first: who, when, in which case, why."""
    from unveil.cases.labels import label_history

    table = Table("event", "at", "who", "label", "case", "reason", title=f"{kind} {ref}")
    for event in label_history(Workspace.open(directory), kind, ref):
        table.add_row(
            str(event["id"]), event["at"], event["actor"], event["label"], event["case_id"] or "", event["reason"]
        )
    console.print(table)


@rank_app.command("top")
def top(
    directory: WorkspaceDir,
    limit: Annotated[int, typer.Option(min=1, help="Posts shown.")] = 20,
    unlabelled: Annotated[bool, typer.Option(help="Leave out posts already labelled.")] = True,
) -> None:
    """The triage queue: posts by learned score, with the lexicon part and the learned part."""
    from unveil.rank.explain import ranked_posts

    table = Table("rank", "post", "score", "lexicon", "learned", "risk", title="Triage queue")
    for row in ranked_posts(Workspace.open(directory), limit, unlabelled=unlabelled):
        table.add_row(
            str(row["rank"]),
            row["post_id"],
            f"{row['score']:.3f}",
            f"{row['lexicon_part']:.3f}",
            f"{row['learned_part']:+.3f}",
            f"{row['lexicon_risk']:.2f}",
        )
    console.print(table)


@rank_app.command("explain")
def explain(directory: WorkspaceDir, post_id: Annotated[str, typer.Argument(help="Post id.")]) -> None:
    """Why a post ranks where it does: lexicon and learned parts, features, nearest labelled posts."""
    from unveil.rank.explain import explain_post

    found = explain_post(Workspace.open(directory), post_id)
    console.print(
        f"[bold]{post_id}[/]: rank {found.rank}, score {found.score:.3f} = lexicon {found.lexicon_part:.3f} "
        f"(risk {found.lexicon_risk:.2f}) + learned {found.learned_part:+.3f}"
    )
    table = Table("feature", "value", "weight", "moved by", title="Features that moved it")
    for item in found.features:
        table.add_row(item.feature, f"{item.value:.3f}", f"{item.weight:+.3f}", f"{item.contribution:+.3f}")
    console.print(table)
    near = Table("post", "label", "from", "similarity", "shared", title="Nearest labelled posts")
    for example in found.nearest:
        near.add_row(
            example.post_id,
            "positive" if example.y > 0.5 else "negative",
            example.source,
            f"{example.similarity:.2f}",
            ", ".join(example.shared),
        )
    console.print(near)


@rank_app.command("like")
def like(
    directory: WorkspaceDir,
    kind: Annotated[str, typer.Argument(help="post or network.")],
    ref: Ref,
    limit: Annotated[int, typer.Option(min=1, help="Posts and networks shown.")] = 20,
) -> None:
    """More like this: the unlabelled posts and networks closest to a confirmed post or network."""
    from unveil.rank.explain import more_like_this

    found = more_like_this(Workspace.open(directory), kind, ref, limit)
    posts = Table("post", "similarity", "network", "why", title=f"Posts like {kind} {ref}")
    for post in found.posts:
        posts.add_row(post.post_id, f"{post.similarity:.2f}", post.network_id or "", "; ".join(post.reasons))
    console.print(posts)
    networks = Table("network", "similarity", "posts like it", title="Networks")
    for network in found.networks:
        networks.add_row(network.network_id, f"{network.similarity:.2f}", str(network.posts))
    console.print(networks)


@rank_app.command("alerts")
def alerts(directory: WorkspaceDir) -> None:
    """Money alerts labelled false positive: suppressed, or back because of new transfers."""
    from unveil.rank.explain import alert_feedback_rows

    table = Table("alert", "typology", "party", "state", "by", "reason", title="Alert feedback")
    for row in alert_feedback_rows(Workspace.open(directory)):
        state = "suppressed" if row["suppressed"] else f"back: {row['new_transfers']} new transfers"
        table.add_row(row["alert_id"], row["typology"], row["party_id"], state, row["labelled_by"], row["reason"])
    console.print(table)
