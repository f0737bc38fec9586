"""A case read like a file: each item with its title, kind, risk, time and a link, not a bare id.

``describe_items`` looks every item of a case up in the read model, one query per kind, and tolerates
tables not built yet (an item is then shown by its id, with "not in the tables" as its title).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from unveil.web.readmodel import ReadModel

KIND_NAMES = {
    "post": "Post",
    "network": "Network",
    "identifier": "Identifier",
    "party": "Party",
    "alert": "Money alert",
    "transfer": "Transfer",
}


def item_link(kind: str, ref: str) -> str | None:
    """The page of an item (None for kinds without a page of their own)."""
    if kind == "identifier":
        id_type, _, value = ref.partition(":")
        return f"/identifiers/{quote(id_type, safe='')}/{quote(value, safe='')}"
    pages = {"post": "/posts/", "network": "/networks/", "party": "/money/parties/"}
    return pages[kind] + quote(ref, safe="") if kind in pages else None


def _marks(refs: list[str]) -> str:
    return ", ".join("?" for _ in refs)


def _posts(tables: ReadModel, refs: list[str]) -> dict[str, dict[str, Any]]:
    if not tables.has("ingest.posts"):
        return {}
    risk, join = "NULL::DOUBLE", ""
    if "risk" in tables.columns("score.scores"):
        risk = "s.risk"
        join = (
            f"LEFT JOIN (SELECT post_id, max(risk) AS risk FROM score.scores WHERE post_id IN ({_marks(refs)}) "
            "GROUP BY post_id) s ON s.post_id = p.post_id"
        )
    rows = tables.rows(
        f"SELECT p.post_id, p.title, p.posted_at, p.city, p.platform, {risk} AS risk FROM ingest.posts p {join} "
        f"WHERE p.post_id IN ({_marks(refs)})",
        [*refs, *refs] if join else refs,
    )
    return {
        str(r["post_id"]): {
            "title": r["title"] or f"Post {r['post_id']}",
            "detail": ", ".join(str(x) for x in (r["platform"], r["city"]) if x),
            "risk": r["risk"],
            "when": r["posted_at"],
        }
        for r in rows
    }


def _networks(tables: ReadModel, refs: list[str]) -> dict[str, dict[str, Any]]:
    columns = tables.columns("link.networks")
    if not columns:
        return {}
    risk = "risk" if "risk" in columns else "NULL::DOUBLE"
    summary = "summary" if "summary" in columns else "NULL::VARCHAR"
    rows = tables.rows(
        f"SELECT network_id, posts, identifiers, cities, first_seen, last_seen, {risk} AS risk, {summary} AS summary "
        f"FROM link.networks WHERE network_id IN ({_marks(refs)})",
        refs,
    )
    found = {}
    for r in rows:
        cities = ", ".join((r["cities"] or [])[:4])
        found[str(r["network_id"])] = {
            "title": r["summary"] or f"Network of {r['posts']} posts",
            "detail": f"{r['posts']} posts, {r['identifiers']} identifiers" + (f"; {cities}" if cities else ""),
            "risk": r["risk"],
            "when": r["first_seen"],
            "until": r["last_seen"],
        }
    return found


def _identifiers(tables: ReadModel, refs: list[str]) -> dict[str, dict[str, Any]]:
    if not tables.columns("extract.identifiers"):
        return {}
    values = sorted({ref.partition(":")[2] for ref in refs})
    rows = tables.rows(
        "SELECT type, value, count(DISTINCT post_id) AS posts FROM extract.identifiers "
        f"WHERE value IN ({_marks(values)}) GROUP BY type, value",
        values,
    )
    return {
        f"{r['type']}:{r['value']}": {
            "title": f"{r['type']} {r['value']}",
            "detail": f"in {r['posts']} posts",
            "risk": None,
            "when": None,
        }
        for r in rows
    }


def _parties(tables: ReadModel, refs: list[str]) -> dict[str, dict[str, Any]]:
    columns = tables.columns("money.parties")
    if not columns:
        return {}
    rows = tables.rows(f"SELECT * FROM money.parties WHERE party_id IN ({_marks(refs)})", refs)
    return {
        str(r["party_id"]): {
            "title": r.get("name") or "; ".join((r.get("names") or [])[:2]) or f"Party {r['party_id']}",
            "detail": f"{r.get('transfers_sent') or 0} transfers sent, {r.get('transfers_received') or 0} received",
            "risk": None,
            "when": r.get("first_seen"),
            "until": r.get("last_seen"),
        }
        for r in rows
    }


def _alerts(tables: ReadModel, refs: list[str]) -> dict[str, dict[str, Any]]:
    if not tables.columns("money.alerts"):
        return {}
    rows = tables.rows(
        "SELECT alert_id, title, score, party_id, party_name, amount_eur, first_at, last_at FROM money.alerts "
        f"WHERE alert_id IN ({_marks(refs)})",
        refs,
    )
    return {
        str(r["alert_id"]): {
            "title": f"{r['title']}: {r['party_name'] or r['party_id']}",
            "detail": f"EUR {r['amount_eur']:,.0f}" if r["amount_eur"] is not None else "",
            "risk": r["score"],
            "when": r["first_at"],
            "until": r["last_at"],
            "link": f"/money/parties/{quote(str(r['party_id']), safe='')}" if r["party_id"] else None,
        }
        for r in rows
    }


def _transfers(tables: ReadModel, refs: list[str]) -> dict[str, dict[str, Any]]:
    source = "money.transfers" if tables.columns("money.transfers") else "ingest.transfers"
    columns = tables.columns(source)
    if not columns:
        return {}
    sender = "sender_name" if "sender_name" in columns else "NULL::VARCHAR"
    receiver = "receiver_name" if "receiver_name" in columns else "NULL::VARCHAR"
    party = "sender_party_id" if "sender_party_id" in columns else "NULL::VARCHAR"
    rows = tables.rows(
        f"SELECT transfer_id, executed_at, amount, currency, channel, {sender} AS sender, {receiver} AS receiver, "
        f"{party} AS party_id FROM {source} WHERE transfer_id IN ({_marks(refs)})",
        refs,
    )
    return {
        str(r["transfer_id"]): {
            "title": f"{r['amount']} {r['currency'] or ''} from {r['sender'] or 'cash'} to {r['receiver'] or '—'}",
            "detail": r["channel"] or "",
            "risk": None,
            "when": r["executed_at"],
            "link": f"/money/parties/{quote(str(r['party_id']), safe='')}" if r["party_id"] else None,
        }
        for r in rows
    }


LOOKUPS: dict[str, Callable[[ReadModel, list[str]], dict[str, dict[str, Any]]]] = {
    "post": _posts,
    "network": _networks,
    "identifier": _identifiers,
    "party": _parties,
    "alert": _alerts,
    "transfer": _transfers,
}


def describe_items(tables: ReadModel, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items of a case (rows of ``case_items``) with ``title``, ``kind_name``, ``detail``, ``risk``,
    ``when`` (and ``until``) and ``link`` added; an item no table holds keeps its id as its title."""
    by_kind: dict[str, list[str]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item["ref"])
    found = {kind: LOOKUPS[kind](tables, refs) if kind in LOOKUPS else {} for kind, refs in by_kind.items()}
    described = []
    for item in items:
        about = found.get(item["kind"], {}).get(item["ref"])
        described.append(
            {
                **item,
                "kind_name": KIND_NAMES.get(item["kind"], item["kind"]),
                "title": about["title"] if about else item["ref"],
                "detail": about["detail"] if about else "not in the tables",
                "risk": about["risk"] if about else None,
                "when": about["when"] if about else None,
                "until": about.get("until") if about else None,
                "link": about.get("link", item_link(item["kind"], item["ref"])) if about else None,
            }
        )
    return described
