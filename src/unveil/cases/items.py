"""What a case can hold, and how each kind of item is found in the workspace's tables."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow.compute as pc

from unveil.cases.data import read_table
from unveil.errors import NotFound, UsageError
from unveil.workspace import Workspace


@dataclass(frozen=True)
class ItemKind:
    """A kind of case item: the table and key column that hold it."""

    name: str
    table: str
    key: str
    description: str


ITEM_KINDS: dict[str, ItemKind] = {
    kind.name: kind
    for kind in (
        ItemKind("post", "ingest.posts", "post_id", "an ad, post, message or page"),
        ItemKind("network", "link.networks", "network_id", "a network of linked posts"),
        ItemKind("identifier", "extract.identifiers", "value", "an identifier, written type:value"),
        ItemKind("party", "money.parties", "party_id", "a sender or receiver of transfers"),
        ItemKind("alert", "money.alerts", "alert_id", "a money typology alert"),
        ItemKind("transfer", "ingest.transfers", "transfer_id", "a money transfer"),
    )
}

LABELS = ("true_positive", "false_positive", "not_relevant", "unsure")
# What can carry a label: every kind of case item, and the text templates found by linking.
LABELLED_KINDS = (*ITEM_KINDS, "template")
STATUSES = ("open", "review", "closed", "archived")


def item_kind(name: str) -> ItemKind:
    """The kind named ``name``, or a usage error listing the kinds."""
    if name not in ITEM_KINDS:
        raise UsageError(f"unknown item kind {name!r}: use one of {', '.join(ITEM_KINDS)}")
    return ITEM_KINDS[name]


def split_identifier(ref: str) -> tuple[str, str]:
    """``phone:+32470123456`` -> ``("phone", "+32470123456")``."""
    kind, sep, value = ref.partition(":")
    if not sep or not kind or not value:
        raise UsageError(f"identifiers are written type:value (phone:+32470123456), not {ref!r}")
    return kind, value


def check_item_exists(workspace: Workspace, kind_name: str, ref: str) -> None:
    """Raise ``NotFound`` unless the item is in its table."""
    kind = item_kind(kind_name)
    if kind.name == "identifier":
        id_type, value = split_identifier(ref)
        table = read_table(workspace, kind.table, ["type", "value"], ("value", [value]))
        found = table is not None and bool(pc.any(pc.equal(table.column("type"), id_type)).as_py())
    else:
        table = read_table(workspace, kind.table, [kind.key], (kind.key, [ref]))
        found = table is not None and table.num_rows > 0
    if not found:
        raise NotFound(kind.name, ref)


def missing_items(workspace: Workspace, kind_name: str, refs: list[str]) -> list[str]:
    """The references among ``refs`` that are not in the kind's table (one read for all of them)."""
    kind = item_kind(kind_name)
    found: set[str] = set()
    if kind.name == "identifier":
        values = sorted({split_identifier(ref)[1] for ref in refs})
        table = read_table(workspace, kind.table, ["type", "value"], ("value", values))
        if table is not None:
            columns = table.to_pydict()
            found = {f"{t}:{v}" for t, v in zip(columns["type"], columns["value"], strict=True)}
    else:
        table = read_table(workspace, kind.table, [kind.key], (kind.key, sorted(set(refs))))
        if table is not None:
            found = {str(value) for value in table.column(kind.key).to_pylist()}
    return [ref for ref in refs if ref not in found]


def check_labelled_item_exists(workspace: Workspace, kind_name: str, ref: str) -> None:
    """Raise ``NotFound`` unless the item to label (a case item or a template) is in its table."""
    if kind_name != "template":
        check_item_exists(workspace, kind_name, ref)
        return
    table = read_table(workspace, "link.templates", ["template_id"], ("template_id", [ref]))
    if table is None or table.num_rows == 0:
        raise NotFound("template", ref)
