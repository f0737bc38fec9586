"""Money benchmarks: typology recall and false alerts on the synthetic world; 1M transfers at scale.

- ``money.typologies``: a synthetic world (posts, captures, transfers with planted typologies and
  their truth) is ingested and run through the whole pipeline; every planted instance must be
  found by the detector of its typology (recall per typology), with at most 1 false alert per
  1,000 clean parties. Party resolution is compared with exact-only matching.
- ``money.scale``: 1,000,000 transfers between 100,000 parties through the ``money`` stage, with
  time and peak memory, beside a naive pure-Python loop for one detector (many senders).
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from bench.harness import Metrics, benchmark, peak_rss_mb, timed
from unveil.engine import create_engine
from unveil.ingest import ingest
from unveil.ingest.schema import TRANSFERS
from unveil.ingest.store import append_rows, ensure_ingest_tables, record_ingest_state
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.workspace import Workspace
from unveil_synth.world import generate_world

WORLD_POSTS = {"small": 6_000, "full": 20_000}
SCALE = {"small": (100_000, 10_000), "full": (1_000_000, 100_000)}
TRUTH_TO_DETECTOR = {
    "many_senders_one_receiver": "many_senders",
    "cash_then_source_country": "cash_to_source",
    "structuring": "structuring",
    "funnel_account": "funnel_account",
    "ad_site_payments": "ad_site_payments",
    "hotel_travel_third_parties": "lodging_for_others",
    "round_per_person_amounts": "smuggling_prices",
    "party_in_posts": "online_identifiers",
}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _truth_parties_of_alerts(workspace: Workspace, truth_transfers: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """Each of our parties -> the true parties behind the transfer sides it was resolved from."""
    table = (
        workspace.table("money.transfers")
        .read(columns=["source_id", "sender_party_id", "receiver_party_id"])
        .to_pylist()
    )
    behind: dict[str, set[str]] = defaultdict(set)
    for row in table:
        truth = truth_transfers.get(row["source_id"] or "")
        if truth is None:
            continue
        for side in ("sender", "receiver"):
            if row[f"{side}_party_id"] and truth[f"{side}_party_id"]:
                behind[row[f"{side}_party_id"]].add(truth[f"{side}_party_id"])
    return behind


def evaluate(workspace: Workspace, world: Path) -> Metrics:
    """Recall per typology, false alerts per 1,000 clean parties, party resolution against the truth."""
    truth_transfers = {row["transfer_id"]: row for row in _csv(world / "truth" / "transfers.csv")}
    instances = _csv(world / "truth" / "typologies.csv")
    planted = {row["party_id"]: row["planted"] == "1" for row in _csv(world / "truth" / "parties.csv")}
    source_of = dict(
        zip(
            *(
                workspace.table("money.transfers").read(columns=["transfer_id", "source_id"]).column(c).to_pylist()
                for c in ("transfer_id", "source_id")
            ),
            strict=True,
        )
    )
    behind = _truth_parties_of_alerts(workspace, truth_transfers)
    alerts = workspace.table("money.alerts").read().to_pylist()
    instance_transfers: dict[str, set[str]] = defaultdict(set)
    for transfer_id, row in truth_transfers.items():
        if row["instance_id"]:
            instance_transfers[row["instance_id"]].add(transfer_id)
    metrics: Metrics = {}
    found_by_typology: dict[str, list[bool]] = defaultdict(list)
    for instance in instances:
        detector = TRUTH_TO_DETECTOR.get(instance["typology"], instance["typology"])
        wanted = instance_transfers[instance["instance_id"]]
        found = any(
            alert["typology"] == detector and _covers(alert, wanted, instance["party_id"], source_of, behind)
            for alert in alerts
        )
        found_by_typology[instance["typology"]].append(found)
    for typology, found in sorted(found_by_typology.items()):
        metrics[f"recall_{typology}"] = round(sum(found) / len(found), 3)
        metrics[f"instances_{typology}"] = len(found)
    all_found = [item for found in found_by_typology.values() for item in found]
    metrics["recall_all"] = round(sum(all_found) / max(1, len(all_found)), 3)
    false_alerts = [
        a for a in alerts if behind[a["party_id"]] and not any(planted.get(p) for p in behind[a["party_id"]])
    ]
    clean = sum(1 for is_planted in planted.values() if not is_planted)
    metrics.update(
        alerts=len(alerts),
        false_alerts=len(false_alerts),
        clean_parties=clean,
        false_alerts_per_1000_clean_parties=round(1000 * len(false_alerts) / max(1, clean), 3),
        false_alerts_by_typology=", ".join(
            f"{name} {sum(1 for a in false_alerts if a['typology'] == name)}"
            for name in sorted(set(TRUTH_TO_DETECTOR.values()))
        ),
    )
    metrics.update(_resolution(workspace, truth_transfers))
    return metrics


def _covers(
    alert: dict[str, Any],
    wanted: set[str],
    party: str,
    source_of: dict[str, str],
    behind: dict[str, set[str]],
) -> bool:
    """An alert finds an instance when it holds one of its transfers or is about its party."""
    return bool(wanted & {source_of.get(t) for t in alert["transfer_ids"]}) or party in behind[alert["party_id"]]


def _resolution(workspace: Workspace, truth_transfers: dict[str, dict[str, str]]) -> Metrics:
    """Pairwise precision and recall of the party resolution: Splink beside exact-only (one record, one party)."""
    rows = (
        workspace.table("money.transfers")
        .read(columns=["source_id", "sender_record_id", "receiver_record_id", "sender_party_id", "receiver_party_id"])
        .to_pylist()
    )
    truth_of_record: dict[str, str] = {}
    party_of_record: dict[str, str] = {}
    for row in rows:
        truth = truth_transfers.get(row["source_id"] or "")
        for side in ("sender", "receiver"):
            record = row[f"{side}_record_id"]
            if record and truth and truth[f"{side}_party_id"]:
                truth_of_record[record] = truth[f"{side}_party_id"]
                party_of_record[record] = row[f"{side}_party_id"]
    truth_pairs = _pairs(truth_of_record)
    splink_pairs = _pairs(party_of_record)
    metrics: Metrics = {"party_records": len(truth_of_record), "true_parties": len(set(truth_of_record.values()))}
    metrics["parties_splink"] = len(set(party_of_record.values()))
    metrics["parties_exact_only"] = len(truth_of_record)
    metrics["resolution_pair_precision_splink"] = round(len(splink_pairs & truth_pairs) / max(1, len(splink_pairs)), 4)
    metrics["resolution_pair_recall_splink"] = round(len(splink_pairs & truth_pairs) / max(1, len(truth_pairs)), 4)
    metrics["resolution_pair_recall_exact_only"] = 0.0 if truth_pairs else 1.0
    return metrics


def _pairs(cluster_of: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for record, cluster in cluster_of.items():
        members[cluster].append(record)
    return {(a, b) for group in members.values() if len(group) <= 200 for a in group for b in group if a < b}


@benchmark("money.typologies")
def typologies(scale: str) -> Metrics:
    """Recall per planted typology and false alerts per 1,000 clean parties on the synthetic world."""
    with tempfile.TemporaryDirectory() as scratch:
        world, root = Path(scratch) / "world", Path(scratch) / "ws"
        generate_world(world, WORLD_POSTS[scale], seed=17)
        workspace = Workspace.init(root)
        ingest(workspace, [world])
        with timed() as run_time, create_engine("duckdb", workspace.settings) as engine:
            results = run_pipeline(workspace, engine, all_stages())
        metrics = evaluate(workspace, world)
        metrics["transfers"] = workspace.table("money.transfers").num_rows()
        metrics["money_stage_s"] = next(r.seconds for r in results if r.name == "money")
        metrics["pipeline_s"] = round(run_time["seconds"], 1)
        metrics["posts"] = WORLD_POSTS[scale]
    return metrics


SYLLABLES = ("ka", "lo", "ra", "vi", "ne", "to", "ma", "ri", "su", "de", "an", "el", "or", "is", "ul", "ba", "co", "fe")
MERCHANTS = ("DELHAIZE", "COLRUYT", "HOTEL CENTRAL", "FLIXBUS", "BOL.COM", "IKEA", "ACTION", "RYANAIR")
COUNTRIES = ("BE", "BE", "BE", "NL", "FR", "DE", "RO", "BG", "MA", "PL")


def _invented_names(rng: np.random.Generator, count: int) -> list[str]:
    """Invented two-part names (no real people), with many shared surnames as in a real population."""
    syllables = np.array(SYLLABLES)
    first = ["".join(parts).capitalize() for parts in syllables[rng.integers(0, len(SYLLABLES), (count, 2))]]
    last = ["".join(parts).capitalize() for parts in syllables[rng.integers(0, len(SYLLABLES), (count, 3))]]
    return [f"{a} {b}" for a, b in zip(first, last, strict=True)]


def scale_transfers(transfers: int, parties: int, seed: int = 5) -> list[pa.Table]:
    """``transfers`` invented transfers between ``parties`` invented parties, as ingest rows in chunks."""
    rng = np.random.default_rng(seed)
    names = np.array(_invented_names(rng, parties), dtype=object)
    variants = np.array([f"{n.split()[1].upper()} {n.split()[0]}" for n in names], dtype=object)
    phones = np.array([f"+3247{i:07d}" for i in rng.permutation(parties)], dtype=object)
    accounts = np.array([f"ACC{i:09d}" for i in range(parties)], dtype=object)
    countries = np.array(COUNTRIES, dtype=object)[rng.integers(0, len(COUNTRIES), parties)]
    start = datetime(2023, 1, 1, tzinfo=UTC)
    chunks = []
    for offset in range(0, transfers, 250_000):
        size = min(250_000, transfers - offset)
        chunks.append(_chunk(rng, offset, size, names, variants, phones, accounts, countries, start))
    return chunks


def _chunk(
    rng: np.random.Generator,
    offset: int,
    size: int,
    names: Any,
    variants: Any,
    phones: Any,
    accounts: Any,
    countries: Any,
    start: datetime,
) -> pa.Table:
    parties = len(names)
    sender = rng.integers(0, parties, size)
    receiver = (sender + rng.integers(1, parties, size)) % parties
    kind = rng.choice(4, size, p=(0.4, 0.3, 0.2, 0.1))  # mto, bank, card, cash deposit
    written = np.where(rng.random(size) < 0.1, variants[sender], names[sender])
    none = np.full(size, None, dtype=object)
    is_card, is_cash = kind == 2, kind == 3
    columns: dict[str, Any] = {name: none for name in TRANSFERS.names}
    columns.update(
        transfer_id=np.array([f"S{offset + i:09d}" for i in range(size)], dtype=object),
        source_file=np.full(size, "bench-scale.parquet", dtype=object),
        record_no=np.arange(offset, offset + size),
        channel=np.array(("mto", "bank", "card", "bank"), dtype=object)[kind],
        tx_type=np.array(("transfer", "transfer", "payment", "cash_deposit"), dtype=object)[kind],
        executed_at=[start + timedelta(seconds=int(s)) for s in rng.integers(0, 2 * 365 * 86400, size)],
        amount=np.round(rng.gamma(2.0, 250.0, size), 2),
        currency=np.full(size, "EUR", dtype=object),
        sender_name=np.where(is_cash, None, written),
        sender_phone=np.where(is_cash, None, phones[sender]),
        sender_account=np.where(kind == 0, None, accounts[sender]),
        sender_country=countries[sender],
        receiver_name=np.where(is_card, None, names[receiver]),
        receiver_phone=np.where(is_card | is_cash, None, phones[receiver]),
        receiver_account=np.where(kind == 0, None, accounts[receiver]),
        receiver_country=np.where(is_card, None, countries[receiver]),
        merchant=np.where(is_card, np.array(MERCHANTS, dtype=object)[rng.integers(0, len(MERCHANTS), size)], None),
        agent_city=np.where(is_cash, "Brussels", None),
    )
    columns["sender_name"] = np.where(is_cash, None, columns["sender_name"])
    return pa.table({name: pa.array(list(columns[name]), type=TRANSFERS.field(name).type) for name in TRANSFERS.names})


def naive_many_senders(rows: list[dict[str, Any]], min_senders: int, window_days: int) -> set[str]:
    """Baseline: receivers with ``min_senders`` distinct MTO senders in a window, by a plain Python loop."""
    by_receiver: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for row in rows:
        if (
            row["tx_type"] == "transfer"
            and row["channel"] == "mto"
            and row["sender_party_id"] != row["receiver_party_id"]
        ):
            by_receiver[row["receiver_party_id"]].append((row["executed_at"], row["sender_party_id"]))
    window = timedelta(days=window_days)
    flagged = set()
    for receiver, items in by_receiver.items():
        items.sort()
        for i, (anchor, _) in enumerate(items):
            senders = {sender for when, sender in items[i:] if when - anchor <= window}
            if len(senders) >= min_senders:
                flagged.add(receiver)
                break
    return flagged


@benchmark("money.scale")
def scale(scale_name: str) -> Metrics:
    """The money stage on 1,000,000 transfers between 100,000 parties, beside a naive Python detector loop."""
    from unveil.money.typologies import typology

    transfers, parties = SCALE[scale_name]
    random.seed(1)
    with tempfile.TemporaryDirectory() as scratch:
        workspace = Workspace.init(Path(scratch) / "ws")
        with timed() as build_time:
            ensure_ingest_tables(workspace)
            for chunk in scale_transfers(transfers, parties):
                append_rows(workspace, "transfers", chunk)
            record_ingest_state(workspace)
        with create_engine("duckdb", workspace.settings) as engine:
            results = run_pipeline(workspace, engine, all_stages())
            money = next(r for r in results if r.name == "money")
            detector = typology("many_senders")
            with timed() as sql_time:
                found = engine.query(
                    detector.sql({"window_days": 30}), {"transfers": workspace.table("money.transfers")}
                )
        columns = ["tx_type", "channel", "sender_party_id", "receiver_party_id", "executed_at"]
        rows = workspace.table("money.transfers").read(columns=columns).to_pylist()
        with timed() as loop_time:
            naive = naive_many_senders(rows, detector.parameters["min_senders"], 30)
        metrics: Metrics = {
            "transfers": transfers,
            "parties_written": parties,
            "parties_resolved": money.rows["parties"],
            "party_links": money.rows["party_matches"],
            "alerts": money.rows["alerts"],
            "build_input_s": round(build_time["seconds"], 1),
            "money_stage_s": money.seconds,
            "money_transfers_per_s": round(transfers / money.seconds),
            "many_senders_sql_s": round(sql_time["seconds"], 2),
            "many_senders_naive_python_s": round(loop_time["seconds"], 2),
            "many_senders_speedup_vs_naive": round(loop_time["seconds"] / max(sql_time["seconds"], 1e-6), 2),
            "many_senders_sql_receivers": found.num_rows,
            "many_senders_naive_receivers_mto_only": len(naive),
            "peak_rss_mb": peak_rss_mb(),
        }
    return metrics
