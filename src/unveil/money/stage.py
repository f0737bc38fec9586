"""Stage ``money``: normalised transfers, resolved parties, party matches and typology alerts."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyarrow as pa

from unveil.engine import Engine
from unveil.money.alerts import AlertContext, alerts_table
from unveil.money.parties import (
    ONLINE_MATCHES_SQL,
    PARTIES_SQL,
    PARTY_RECORDS_SQL,
    PartyModel,
    online_match_rows,
    party_link_rows,
    party_of_records,
    predict_record_links,
)
from unveil.money.rates import load_rates
from unveil.money.schema import NORMALISED_TRANSFERS, PARTY_MATCHES, SCHEMAS
from unveil.money.transfers import normalise_batch
from unveil.money.typologies import TYPOLOGIES
from unveil.pipeline import Stage, StageContext
from unveil.storage import remove_tree
from unveil.tables import TableRef

PRICES_INPUT = "extract.prices"
RECORD_PARTIES = pa.schema([("record_id", pa.string()), ("party_id", pa.string())])
RATES = pa.schema([("currency", pa.string()), ("units_per_eur", pa.float64())])
ONLINE = pa.schema(
    [
        ("party_id", pa.string()),
        ("record_id", pa.string()),
        ("post_id", pa.string()),
        ("identifier_type", pa.string()),
        ("identifier_value", pa.string()),
    ]
)

TRANSFERS_SQL = """
SELECT t.*, s.party_id AS sender_party_id, r.party_id AS receiver_party_id
FROM normalised t
LEFT JOIN record_parties s ON s.record_id = t.sender_record_id
LEFT JOIN record_parties r ON r.record_id = t.receiver_record_id
ORDER BY t.transfer_id
"""

PRICES_SQL = """
SELECT p.post_id, round(p.amount / r.units_per_eur, 2) AS amount_eur, p.unit
FROM prices p JOIN rates r ON r.currency = upper(coalesce(p.currency, 'EUR'))
WHERE p.amount IS NOT NULL
ORDER BY p.post_id, amount_eur, p.unit
"""

NETWORKS_OF_POSTS_SQL = """
SELECT DISTINCT n.post_id, n.network_id FROM network_posts n JOIN online o ON o.post_id = n.post_id
UNION
SELECT DISTINCT n.post_id, n.network_id FROM network_posts n JOIN prices p ON p.post_id = n.post_id
ORDER BY 1, 2
"""


class WorkTables:
    """Intermediate tables of one run, kept in the staging folder and removed before commit."""

    def __init__(self, context: StageContext) -> None:
        self.folder = context.staging / ".work"
        self.engine = context.engine

    def path(self, name: str) -> Path:
        return self.folder / name

    def ref(self, name: str) -> TableRef:
        return TableRef(f"money-work.{name}", self.path(name))

    def write(self, name: str, rows: pa.Table, schema: pa.Schema) -> TableRef:
        self.engine.write_table(rows, schema, self.path(name))
        return self.ref(name)

    def remove(self) -> None:
        remove_tree(self.folder)


def run_money(context: StageContext) -> None:
    """Normalise, resolve parties, match them online, run every detector, write alerts."""
    work = WorkTables(context)
    try:
        normalised = _normalise(context, work)
        record_parties, records = _resolve_parties(context, work, normalised)
        transfers = context.staged("transfers")
        context.engine.sql_to_table(
            TRANSFERS_SQL, {"normalised": normalised, "record_parties": record_parties}, context.output("transfers")
        )
        context.engine.sql_to_table(PARTIES_SQL, {"transfers": transfers}, context.output("parties"))
        online = _online_matches(context, work, records, record_parties)
        _alerts(context, work, transfers, online)
    finally:
        work.remove()


def _normalise(context: StageContext, work: WorkTables) -> TableRef:
    source = context.input("ingest.transfers")
    rates = {code: rate.units_per_eur for code, rate in load_rates(context.workspace.root).items()}
    work.write("rates", pa.table({"currency": list(rates), "units_per_eur": list(rates.values())}), RATES)
    context.progress.start("money: normalise transfers", source.num_rows())
    context.engine.map_batches(
        source,
        partial(normalise_batch, rates=rates, region=context.workspace.settings.default_region),
        NORMALISED_TRANSFERS,
        work.path("normalised"),
        progress=context.progress,
    )
    context.progress.finish()
    return work.ref("normalised")


def _resolve_parties(context: StageContext, work: WorkTables, normalised: TableRef) -> tuple[TableRef, TableRef]:
    """Party records, linked by the Splink model into parties; writes the record links to party_matches."""
    context.progress.start("money: resolve parties", None)
    records = context.engine.query(PARTY_RECORDS_SQL, {"transfers": normalised})
    records_ref = work.write("records", records, records.schema)
    model = PartyModel()
    predictions = predict_record_links(records, context.engine.splink_api(), model)
    record_ids = records.column("record_id").to_pylist()
    parties = party_of_records(record_ids, ((p["record_id_l"], p["record_id_r"]) for p in predictions))
    mapping = pa.table({"record_id": record_ids, "party_id": [parties[r] for r in record_ids]}, schema=RECORD_PARTIES)
    work.write("party_links", party_link_rows(predictions, parties, model), PARTY_MATCHES)
    context.progress.finish()
    return work.write("record_parties", mapping, RECORD_PARTIES), records_ref


def _online_matches(context: StageContext, work: WorkTables, records: TableRef, record_parties: TableRef) -> TableRef:
    inputs = {"records": records, "record_parties": record_parties, "identifiers": context.input("extract.identifiers")}
    online = context.engine.query(ONLINE_MATCHES_SQL, inputs)
    links = work.ref("party_links").read()
    matches = pa.concat_tables([links, online_match_rows(online)]).sort_by(
        [
            ("party_id", "ascending"),
            ("match_kind", "ascending"),
            ("record_id", "ascending"),
            ("other_record_id", "ascending"),
            ("post_id", "ascending"),
            ("identifier_type", "ascending"),
        ]
    )
    context.engine.write_table(matches, PARTY_MATCHES, context.output("party_matches"))
    return work.write("online", online, ONLINE)


def _prices(context: StageContext, work: WorkTables) -> TableRef:
    """Prices posted online, in EUR (currencies without a rate are left out)."""
    inputs = {"prices": context.input(PRICES_INPUT), "rates": work.ref("rates")}
    context.engine.sql_to_table(PRICES_SQL, inputs, work.path("prices"))
    return work.ref("prices")


def _alerts(context: StageContext, work: WorkTables, transfers: TableRef, online: TableRef) -> None:
    context.progress.start("money: typology detectors", len(TYPOLOGIES))
    tables = {
        "transfers": transfers,
        "online": online,
        "prices": _prices(context, work),
        "posts": context.input("ingest.posts"),
    }
    found = []
    for typology in TYPOLOGIES:
        rows = context.engine.query(typology.sql(), {name: tables[name] for name in typology.inputs})
        found.append((typology, rows))
        context.progress.advance(1)
    alert_context = _alert_context(
        context.engine, tables, context.input("link.network_posts"), context.staged("parties")
    )
    context.engine.write_table(
        alerts_table(found, alert_context), alerts_table([], alert_context).schema, context.output("alerts")
    )
    context.progress.finish()


def _alert_context(
    engine: Engine, tables: dict[str, TableRef], network_posts: TableRef, parties: TableRef
) -> AlertContext:
    online = engine.query("SELECT * FROM online ORDER BY party_id, post_id", {"online": tables["online"]})
    inputs = {"network_posts": network_posts, "online": tables["online"], "prices": tables["prices"]}
    networks = engine.query(NETWORKS_OF_POSTS_SQL, inputs)
    names = engine.query("SELECT party_id, name FROM parties ORDER BY party_id", {"parties": parties})
    return AlertContext(
        online.to_pylist(),
        networks.to_pylist(),
        dict(zip(names.column("party_id").to_pylist(), names.column("name").to_pylist(), strict=True)),
    )


MONEY = Stage(
    name="money",
    inputs=("ingest.transfers", "ingest.posts", "extract.identifiers", PRICES_INPUT, "link.network_posts"),
    outputs=("transfers", "parties", "party_matches", "alerts"),
    run=run_money,
    schemas=SCHEMAS,
    description="transfers normalised, parties resolved and matched online, typology alerts explained",
    version="2",
)
