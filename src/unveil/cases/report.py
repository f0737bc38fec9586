"""The magistrates' report of a case: its sections as plain data, rendered to HTML and to PDF.

Sections, in order: summary, network, timeline, map of cities, identifiers, money flows and
alerts, indicators (with the words that triggered them), method (how each link and flag is made),
posts, and integrity (hashes and how to verify). The renderers (``report_html``, ``report_pdf``)
only lay this out; every fact comes from here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from unveil.cases.figures import Figure, city_counts, map_figure, network_figure, timeline_figure
from unveil.cases.material import Material
from unveil.cases.store import CaseDetail

MAX_ROWS = 200
EXCERPT = 160

SECTION_TITLES = {
    "summary": "Summary",
    "network": "Network",
    "timeline": "Timeline",
    "map": "Map of cities",
    "identifiers": "Identifiers",
    "money": "Money flows and alerts",
    "indicators": "Indicators",
    "method": "Method",
    "posts": "Posts",
    "integrity": "Integrity",
}


@dataclass
class ReportTable:
    """A table: column names and rows of text."""

    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    what: str = "rows"


@dataclass
class Section:
    """One section of the report."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Report:
    """The whole report."""

    title: str
    subtitle: str
    sections: list[Section]


@dataclass(frozen=True)
class Integrity:
    """What the integrity section states about the bundle's evidence and custody."""

    evidence: list[dict[str, Any]]
    custody_entries: int
    custody_head: str
    hub_max_posts: int


def text(value: Any) -> str:
    """A cell as text (None as empty, a list as its items joined by ``; ``)."""
    if isinstance(value, list | tuple):
        return "; ".join(text(item) for item in value)
    return "" if value is None else str(value)


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """The start of a long text, on one line."""
    flat = " ".join(text(value).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _table(columns: list[str], found: list[list[str]], what: str) -> ReportTable:
    note = f"{len(found) - MAX_ROWS} more {what} in the bundle's data files." if len(found) > MAX_ROWS else ""
    return ReportTable(columns, found[:MAX_ROWS], note, what)


def build_report(detail: CaseDetail, material: Material, integrity: Integrity, generated: str, operator: str) -> Report:
    """Every section of the report of one case."""
    case = detail.case
    sections = [
        _summary(detail, material),
        Section(
            "network",
            SECTION_TITLES["network"],
            _network_text(material),
            [_networks_table(material)],
            [network_figure(material)],
        ),
        _timeline(material),
        _map(material),
        _identifiers(material),
        _money(material),
        _indicators(material),
        _method(material, integrity),
        _posts(material),
        _integrity(integrity),
    ]
    subtitle = f"Case {case.case_id} · status {case.status} · generated {generated} by {operator}"
    return Report(title=case.title, subtitle=subtitle, sections=sections)


def _summary(detail: CaseDetail, material: Material) -> Section:
    case = detail.case
    dates = sorted(p["posted_at"] for p in material.posts if p.get("posted_at"))
    span = f" between {dates[0]:%Y-%m-%d} and {dates[-1]:%Y-%m-%d}" if dates else ""
    cities = city_counts(material)
    paragraphs = [
        f"Case {case.case_id}, opened {case.created_at} by {case.created_by}. {case.description}".strip(),
        f"The case holds {len(detail.items)} items. They lead to {len(material.posts)} posts{span}, "
        f"{len({(i['type'], i['value']) for i in material.identifiers})} distinct identifiers, "
        f"{len(material.networks)} networks, {len(material.transfers)} transfers and {len(material.alerts)} alerts.",
        f"Places: {', '.join(f'{c} ({n})' for c, n in cities.most_common(10)) or 'none'}.",
    ]
    paragraphs += [text(n.get("summary")) for n in material.networks if n.get("summary")]
    items = _table(
        ["kind", "reference", "added", "by"],
        [[i["kind"], i["ref"], i["added_at"], i["added_by"]] for i in detail.items],
        "items",
    )
    labels = _table(
        ["item", "label", "reason", "by", "at"],
        [[f"{x['item_kind']} {x['item_ref']}", x["label"], x["reason"], x["author"], x["at"]] for x in detail.labels],
        "labels",
    )
    notes = _table(["at", "author", "note"], [[n["at"], n["author"], n["text"]] for n in detail.notes], "notes")
    return Section("summary", SECTION_TITLES["summary"], paragraphs, [items, labels, notes])


def _network_text(material: Material) -> list[str]:
    kinds = Counter(text(e.get("kind")) for e in material.edges)
    edges = ", ".join(f"{n} by {k}" for k, n in kinds.items()) or "none recorded"
    return [
        "The figure joins each post (blue) to the identifiers it shares with other posts of the case "
        "(red: phone numbers, purple: e-mail addresses, orange: other identifiers).",
        f"Links between posts: {edges}.",
    ]


def _networks_table(material: Material) -> ReportTable:
    return _table(
        ["network", "posts", "identifiers", "cities", "first seen", "last seen"],
        [
            [
                text(n.get("network_id")),
                text(n.get("posts")),
                text(n.get("identifiers")),
                ", ".join(n.get("cities") or []),
                text(n.get("first_seen")),
                text(n.get("last_seen")),
            ]
            for n in material.networks
        ],
        "networks",
    )


def _timeline(material: Material) -> Section:
    dated = sorted((p for p in material.posts if p.get("posted_at")), key=lambda p: p["posted_at"])
    found = [
        [f"{p['posted_at']:%Y-%m-%d %H:%M}", text(p.get("city")), p["post_id"], excerpt(p.get("text"), 80)]
        for p in dated
    ]
    return Section(
        "timeline",
        SECTION_TITLES["timeline"],
        [],
        [_table(["date", "city", "post", "text"], found, "posts")],
        [timeline_figure(material)],
    )


def _map(material: Material) -> Section:
    counts = city_counts(material)
    table = _table(["place", "posts"], [[c, str(n)] for c, n in counts.most_common()], "places")
    return Section("map", SECTION_TITLES["map"], [], [table], [map_figure(material)])


def _identifiers(material: Material) -> Section:
    posts: dict[tuple[str, str], set[str]] = {}
    rules: dict[tuple[str, str], set[str]] = {}
    for row in material.identifiers:
        key = (row["type"], row["value"])
        posts.setdefault(key, set()).add(row["post_id"])
        rules.setdefault(key, set()).add(text(row.get("rule")))
    ordered = sorted(posts, key=lambda k: (-len(posts[k]), k))
    found = [[k[0], k[1], str(len(posts[k])), ", ".join(sorted(rules[k]))] for k in ordered]
    table = _table(["type", "value", "posts", "found by"], found, "identifiers")
    return Section("identifiers", SECTION_TITLES["identifiers"], [], [table])


def _money(material: Material) -> Section:
    transfers = _table(
        ["date", "amount", "channel", "sender", "receiver", "reference"],
        [
            [
                text(t.get("executed_at")),
                f"{t.get('amount') or 0:,.2f} {text(t.get('currency'))}",
                text(t.get("channel")),
                " ".join(filter(None, [text(t.get("sender_name")), text(t.get("sender_phone"))])),
                " ".join(filter(None, [text(t.get("receiver_name")), text(t.get("receiver_phone"))])),
                excerpt(t.get("reference"), 60),
            ]
            for t in material.transfers
        ],
        "transfers",
    )
    alerts = _table(
        ["alert", "typology", "score", "why"],
        [
            [text(a.get("alert_id")), text(a.get("typology")), text(a.get("score")), text(a.get("reasons"))]
            for a in material.alerts
        ],
        "alerts",
    )
    total: dict[str, float] = {}
    for t in material.transfers:
        currency = text(t.get("currency"))
        total[currency] = total.get(currency, 0.0) + float(t.get("amount") or 0)
    sums = ", ".join(f"{amount:,.2f} {currency}" for currency, amount in sorted(total.items())) or "none"
    paragraphs = [f"{len(material.transfers)} transfers (total {sums}); {len(material.alerts)} typology alerts."]
    return Section("money", SECTION_TITLES["money"], paragraphs, [transfers, alerts])


def _indicators(material: Material) -> Section:
    found = [
        [
            r["post_id"],
            text(r.get("indicator_id")),
            text(r.get("domain")),
            f"“{text(r.get('matched'))}”",
            text(r.get("weight")),
            text(r.get("source")),
        ]
        for r in material.indicators
    ]
    table = _table(["post", "indicator", "domain", "words that triggered it", "weight", "source"], found, "indicators")
    note = "Each indicator is shown with the exact words of the post that triggered it and the published source."
    return Section("indicators", SECTION_TITLES["indicators"], [note], [table])


def _method(material: Material, integrity: Integrity) -> Section:
    rules = Counter(text(r.get("rule")) for r in material.identifiers)
    paragraphs = [
        "Identifiers (phone numbers, e-mail addresses, handles, IBANs, wallets) are found in the text of each post by "
        "the extraction rules listed below, including rules that undo obfuscation, and written in a canonical form "
        "(phone numbers in international E.164 form).",
        "Two posts are linked when they carry the same identifier. An identifier shared by more than "
        f"{integrity.hub_max_posts} posts (a hotel, a platform's support number) is not used to link. Networks are "
        "the connected groups of linked posts; near-duplicate texts and re-used photos add links when computed.",
        "Indicators are entries of published indicator lists; a post is flagged when the words of an entry appear "
        "in it. Money alerts come from published financial typologies, each with its reasons and transfers.",
        "Every number in this report is computed from the rows listed; nothing is estimated by hand.",
    ]
    table = _table(["extraction rule", "identifiers found"], [[r, str(n)] for r, n in rules.most_common()], "rules")
    reasons = _table(
        ["network", "post", "why it is linked"],
        [[text(r.get("network_id")), text(r.get("post_id")), text(r.get("reason"))] for r in material.network_posts],
        "links",
    )
    edges = _table(
        ["post", "post", "kind", "why"],
        [
            [text(e.get("src_post_id")), text(e.get("dst_post_id")), text(e.get("kind")), text(e.get("reason"))]
            for e in material.edges
        ],
        "edges",
    )
    return Section("method", SECTION_TITLES["method"], paragraphs, [table, reasons, edges])


def _posts(material: Material) -> Section:
    found = [
        [
            p["post_id"],
            text(p.get("platform")),
            text(p.get("source_file")),
            text(p.get("record_no")),
            text(p.get("evidence_sha256")),
            excerpt(p.get("text")),
        ]
        for p in material.posts
    ]
    table = _table(["post", "platform", "source file", "record", "evidence SHA-256", "text"], found, "posts")
    return Section("posts", SECTION_TITLES["posts"], [], [table])


def _integrity(integrity: Integrity) -> Section:
    present = sum(1 for e in integrity.evidence if e["present"])
    paragraphs = [
        f"The bundle carries {present} evidence files out of {len(integrity.evidence)} referenced; each is stored "
        "under its SHA-256 (evidence/<sha256>), so its name is its fingerprint.",
        f"The custody log entries that concern the case ({integrity.custody_entries}) are copied verbatim in "
        f"custody/entries.jsonl; each entry carries the SHA-256 of the one before it. The workspace's custody log "
        f"ended with the entry whose SHA-256 is {integrity.custody_head or 'none'} when the bundle was made.",
        "SHA256SUMS lists the SHA-256 of every file in the bundle; SEAL holds the SHA-256 of SHA256SUMS; "
        "manifest.json lists every item, its evidence hashes and custody entries.",
        "How to verify, offline: run `unveil verify-bundle bundle.zip`, which names any file changed, added or "
        "removed; or unpack the bundle and run `sha256sum -c SHA256SUMS` and `sha256sum SHA256SUMS` (compare with "
        "SEAL). The bundle's own SHA-256 is recorded in the workspace's custody log when it is made.",
    ]
    table = _table(
        ["evidence SHA-256", "bytes", "in bundle"],
        [
            [e["sha256"], text(e.get("size")), "yes" if e["present"] else "no (not in the evidence store)"]
            for e in integrity.evidence
        ],
        "evidence files",
    )
    return Section("integrity", SECTION_TITLES["integrity"], paragraphs, [table])
