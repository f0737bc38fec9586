"""Commands: ``unveil case new|add|remove|note|label|status|share|show|list|export``, ``unveil verify-bundle``,
``unveil export``."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from unveil.workspace import Workspace

console = Console()
case_app = typer.Typer(
    name="case", help="Cases: gather items, notes and labels; export a court bundle.", no_args_is_help=True
)

WorkspaceDir = Annotated[Path, typer.Argument(help="Workspace folder.")]
CaseId = Annotated[str, typer.Argument(help="Case id (C0001).")]
Actor = Annotated[str | None, typer.Option("--actor", help="Who does this (default: the system user).")]


def actor_name(actor: str | None) -> str:
    """The named actor, or the logged-in system user."""
    return actor or getpass.getuser()


def register(app: typer.Typer) -> None:
    """Add the case, bundle and export commands."""
    app.add_typer(case_app)
    app.command("verify-bundle")(verify_bundle_command)
    app.command("export")(export_command)


@case_app.command("new")
def new(
    directory: WorkspaceDir,
    title: Annotated[str, typer.Argument(help="Title of the case.")],
    description: Annotated[str, typer.Option(help="What the case is about.")] = "",
    actor: Actor = None,
) -> None:
    """Open a new case; prints its id."""
    from unveil.cases import create_case

    case = create_case(Workspace.open(directory), title, actor_name(actor), description)
    console.print(case.case_id)


@case_app.command("add")
def add(
    directory: WorkspaceDir,
    case_id: CaseId,
    kind: Annotated[str, typer.Argument(help="post, network, identifier, party, alert or transfer.")],
    refs: Annotated[list[str], typer.Argument(help="Ids of the items (identifiers as type:value).")],
    actor: Actor = None,
) -> None:
    """Add items to a case (each is checked against the workspace's tables)."""
    from unveil.cases import add_items

    added = add_items(Workspace.open(directory), case_id, kind, list(refs), actor_name(actor))
    console.print(f"added {added} {kind} item(s) to {case_id}")


@case_app.command("remove")
def remove(
    directory: WorkspaceDir,
    case_id: CaseId,
    kind: str,
    ref: str,
    reason: Annotated[str, typer.Option(help="Why it leaves the case (kept in the case's history).")] = "",
    actor: Actor = None,
) -> None:
    """Take an item out of a case."""
    from unveil.cases import remove_item

    remove_item(Workspace.open(directory), case_id, kind, ref, actor_name(actor), reason)
    console.print(f"removed {kind} {ref} from {case_id}")


@case_app.command("note")
def note(
    directory: WorkspaceDir,
    case_id: CaseId,
    text: Annotated[str, typer.Argument(help="The note.")],
    actor: Actor = None,
) -> None:
    """Write a note on a case."""
    from unveil.cases import add_note

    added = add_note(Workspace.open(directory), case_id, text, actor_name(actor))
    console.print(f"note {added['id']} added to {case_id}")


@case_app.command("label")
def label(
    directory: WorkspaceDir,
    case_id: CaseId,
    kind: str,
    ref: str,
    value: Annotated[
        str, typer.Argument(metavar="LABEL", help="true_positive, false_positive, not_relevant or unsure.")
    ],
    reason: Annotated[str, typer.Option(help="Why.")] = "",
    actor: Actor = None,
) -> None:
    """Mark an item of a case as a true or false positive."""
    from unveil.cases import set_label

    set_label(Workspace.open(directory), case_id, kind, ref, value, actor_name(actor), reason)
    console.print(f"{kind} {ref} labelled {value} in {case_id}")


@case_app.command("status")
def status(
    directory: WorkspaceDir,
    case_id: CaseId,
    value: Annotated[str, typer.Argument(metavar="STATUS", help="open, review, closed or archived.")],
    reason: Annotated[str, typer.Option(help="Why.")] = "",
    actor: Actor = None,
) -> None:
    """Change a case's status."""
    from unveil.cases import set_status

    set_status(Workspace.open(directory), case_id, value, actor_name(actor), reason)
    console.print(f"{case_id} is now {value}")


@case_app.command("share")
def share(
    directory: WorkspaceDir,
    case_id: CaseId,
    user: Annotated[str, typer.Argument(help="User name to share the case with (a magistrate then reads it).")],
    remove: Annotated[bool, typer.Option("--remove", help="Stop sharing it instead.")] = False,
    actor: Actor = None,
) -> None:
    """Share a case with a user, who then reads it (and, an investigator, may change it)."""
    from unveil.cases import add_member, remove_member

    workspace = Workspace.open(directory)
    if remove:
        remove_member(workspace, case_id, user, actor_name(actor))
        console.print(f"{case_id} is no longer shared with {user}")
    else:
        add_member(workspace, case_id, user, actor_name(actor))
        console.print(f"{case_id} is shared with {user}")


@case_app.command("list")
def list_command(directory: WorkspaceDir) -> None:
    """List the cases."""
    from unveil.cases import list_cases

    table = Table("case", "title", "status", "created", "by", "updated")
    for case in list_cases(Workspace.open(directory)):
        table.add_row(case.case_id, case.title, case.status, case.created_at, case.created_by, case.updated_at)
    console.print(table)


@case_app.command("show")
def show(directory: WorkspaceDir, case_id: CaseId) -> None:
    """Show a case: items, labels, notes and status history."""
    from unveil.cases import show_case

    detail = show_case(Workspace.open(directory), case_id)
    case = detail.case
    console.print(f"[bold]{case.case_id}[/] {case.title} ({case.status})", markup=True, highlight=False)
    if case.description:
        console.print(case.description, markup=False)
    items = Table("kind", "ref", "added", "by", "label", title="items")
    labels = {(x["item_kind"], x["item_ref"]): x["label"] for x in detail.labels}
    for item in detail.items:
        label_text = labels.get((item["kind"], item["ref"]), "")
        items.add_row(item["kind"], item["ref"], item["added_at"], item["added_by"], label_text)
    console.print(items)
    for entry in detail.notes:
        console.print(f"note {entry['id']} {entry['at']} {entry['author']}: {entry['text']}", markup=False)
    for change in detail.history:
        console.print(f"status {change['at']} {change['actor']}: {change['old_status']} -> {change['new_status']}")


@case_app.command("export")
def export_case(
    directory: WorkspaceDir,
    case_id: CaseId,
    out: Annotated[Path, typer.Option("--out", help="Bundle file to write (.zip).")],
    actor: Actor = None,
) -> None:
    """Write the court bundle of a case: manifest, evidence, report (HTML, PDF), checksums."""
    from unveil.cases import make_bundle

    result = make_bundle(Workspace.open(directory), case_id, out, actor_name(actor))
    console.print(
        f"wrote {result.path} ({result.files} files, {result.evidence_present} evidence files, "
        f"{result.evidence_missing} not in the evidence store); SHA-256 {result.sha256}"
    )


def verify_bundle_command(
    bundle: Annotated[Path, typer.Argument(help="Bundle file (.zip).")],
    trusted_key: Annotated[
        list[str] | None,
        typer.Option("--trusted-key", help="Signing-key fingerprint accepted besides this installation's."),
    ] = None,
    tsa_ca: Annotated[
        Path | None, typer.Option("--tsa-ca", help="Time-stamping authority CA certificate (checks the stamp).")
    ] = None,
) -> None:
    """Check a court bundle offline: files, manifest and signature; name anything changed, added or removed."""
    from unveil.cases import verify_bundle

    check = verify_bundle(bundle, trusted_key, tsa_ca)
    console.print(f"{check.path}: OK, {check.files} files verified; signed by key {check.key}")
    if check.timestamp:
        how = "checked against the authority's certificate" if check.timestamp_checked else "not checked: give --tsa-ca"
        console.print(f"RFC 3161 time-stamp: {check.timestamp} ({how})")


def export_command(
    directory: WorkspaceDir,
    format_name: Annotated[str, typer.Option("--format", help="ftm, gexf, i2, xlsx or csv.")],
    out: Annotated[Path, typer.Option("--out", help="File (ftm, gexf, xlsx) or folder (i2, csv) to write.")],
    pseudonymise: Annotated[bool, typer.Option("--pseudonymise", help="Replace identifiers by keyed hashes.")] = False,
    case_id: Annotated[str | None, typer.Option("--case", help="Export only this case's material.")] = None,
    actor: Actor = None,
) -> None:
    """Export the workspace (or one case) for Aleph, Gephi, i2 Analyst's Notebook, Excel or CSV tools."""
    from unveil.cases.exports import export_workspace

    written = export_workspace(
        Workspace.open(directory), format_name, out, actor_name(actor), case_id=case_id, pseudonymise=pseudonymise
    )
    console.print(f"wrote {written.path}: {written.summary}")
