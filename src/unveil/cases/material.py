"""The material of a case (or of a whole workspace): every row its report and exports show.

A case names items; the material follows them through the tables: a network brings its posts and
edges, an identifier the posts that carry it, an alert its transfers, posts and networks, and the
posts bring their identifiers, indicators, places and images and the transfers whose parties use
the same phones, emails, accounts or wallets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from unveil.cases.data import Row, read_table, rows
from unveil.cases.items import split_identifier
from unveil.cases.store import CaseDetail
from unveil.identifiers import canonical
from unveil.workspace import Workspace

PARTY_IDENTIFIER_COLUMNS = {"phone": "phone", "email": "email", "iban": "account", "wallet": "wallet"}
PSEUDONYM = re.compile(r"[a-z]+-[0-9a-f]{16}")


@dataclass
class Material:
    """Rows of every table that concern one case (or the whole workspace)."""

    posts: list[Row] = field(default_factory=list)
    identifiers: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    places: list[Row] = field(default_factory=list)
    images: list[Row] = field(default_factory=list)
    networks: list[Row] = field(default_factory=list)
    network_posts: list[Row] = field(default_factory=list)
    edges: list[Row] = field(default_factory=list)
    transfers: list[Row] = field(default_factory=list)
    parties: list[Row] = field(default_factory=list)
    alerts: list[Row] = field(default_factory=list)

    def tables(self) -> dict[str, list[Row]]:
        """Each list of rows under its table's short name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def post_ids(self) -> set[str]:
        """Ids of the material's posts."""
        return {post["post_id"] for post in self.posts}


def gather_workspace(workspace: Workspace) -> Material:
    """Every row of every table the exports know (for workspace-wide exports)."""
    return Material(
        posts=rows(workspace, "ingest.posts"),
        identifiers=rows(workspace, "extract.identifiers"),
        indicators=rows(workspace, "score.indicators"),
        places=rows(workspace, "extract.places"),
        images=rows(workspace, "ingest.images"),
        networks=rows(workspace, "link.networks"),
        network_posts=rows(workspace, "link.network_posts"),
        edges=rows(workspace, "link.edges"),
        transfers=rows(workspace, "ingest.transfers"),
        parties=rows(workspace, "money.parties"),
        alerts=rows(workspace, "money.alerts"),
    )


def gather_case(workspace: Workspace, detail: CaseDetail) -> Material:
    """The rows that concern one case's items."""
    alerts = rows(workspace, "money.alerts", where=("alert_id", detail.refs("alert")))
    party_ids = set(detail.refs("party")) | {a["party_id"] for a in alerts if a.get("party_id")}
    alerts += [a for a in rows(workspace, "money.alerts", where=("party_id", party_ids)) if a not in alerts]
    network_ids = set(detail.refs("network")) | _listed(alerts, "network_ids")
    network_posts = rows(workspace, "link.network_posts", where=("network_id", network_ids))
    post_ids = set(detail.refs("post")) | {r["post_id"] for r in network_posts} | _listed(alerts, "post_ids")
    post_ids |= _posts_with_identifiers(workspace, detail.refs("identifier"))
    identifiers = rows(workspace, "extract.identifiers", where=("post_id", post_ids))
    transfer_ids = set(detail.refs("transfer")) | _listed(alerts, "transfer_ids")
    transfers = _transfers(workspace, transfer_ids, identifiers)
    return Material(
        posts=rows(workspace, "ingest.posts", where=("post_id", post_ids)),
        identifiers=identifiers,
        indicators=rows(workspace, "score.indicators", where=("post_id", post_ids)),
        places=rows(workspace, "extract.places", where=("post_id", post_ids)),
        images=rows(workspace, "ingest.images", where=("post_id", post_ids)),
        networks=rows(workspace, "link.networks", where=("network_id", network_ids)),
        network_posts=network_posts,
        edges=rows(workspace, "link.edges", where=("network_id", network_ids)),
        transfers=transfers,
        parties=rows(workspace, "money.parties", where=("party_id", party_ids)),
        alerts=alerts,
    )


def _listed(found: Iterable[Row], column: str) -> set[str]:
    return {value for row in found for value in (row.get(column) or [])}


def _posts_with_identifiers(workspace: Workspace, refs: list[str]) -> set[str]:
    wanted = {split_identifier(ref) for ref in refs}
    if not wanted:
        return set()
    found = rows(workspace, "extract.identifiers", ["post_id", "type", "value"], ("value", {v for _, v in wanted}))
    return {row["post_id"] for row in found if (row["type"], row["value"]) in wanted}


def _transfers(workspace: Workspace, transfer_ids: set[str], identifiers: list[Row]) -> list[Row]:
    """Transfers named by the case, and those whose parties use the posts' identifiers."""
    table = read_table(workspace, "ingest.transfers")
    if table is None:
        return []
    region = workspace.settings.default_region
    known = {(row["type"], row["value"]) for row in identifiers if row["type"] in PARTY_IDENTIFIER_COLUMNS}
    chosen = []
    for transfer in table.to_pylist():
        if transfer["transfer_id"] in transfer_ids or known & transfer_identifiers(transfer, region):
            chosen.append(transfer)
    return chosen


def transfer_identifiers(transfer: Row, region: str) -> set[tuple[str, str]]:
    """The (type, canonical value) identifiers of a transfer's sender and receiver."""
    found: set[tuple[str, str]] = set()
    for side in ("sender", "receiver"):
        for id_type, column in PARTY_IDENTIFIER_COLUMNS.items():
            raw = transfer.get(f"{side}_{column}")
            if raw:
                value = str(raw) if PSEUDONYM.fullmatch(str(raw)) else canonical(id_type, str(raw), region)
                if value is not None:
                    found.add((id_type, value))
    return found


def canonical_identifier(id_type: str, raw: str, region: str) -> str:
    """The canonical form the extraction contract uses (``identifiers.canonical``: E.164, e-mail
    without spaces in lower case, compact IBAN, wallet), or the value as written (stripped) when it
    is not a valid identifier (a partial phone stays as written, never an invalid ``+32...``).

    A pseudonym (``phone-3a6a20a5761f31bf``) is its own canonical form.
    """
    if PSEUDONYM.fullmatch(raw):
        return raw
    return canonical(id_type, raw, region) or raw.strip()
