"""Schemas of the tables the ``money`` stage writes (``SCHEMAS``: checked when the stage commits)."""

from __future__ import annotations

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")
SIDES = ("sender", "receiver")

SIDE_FIELDS = (
    "name",  # as written, trimmed
    "name_key",  # lower case, accents removed, tokens sorted: what names are compared on
    "phone",  # E.164, or null when absent or not a valid number
    "email",  # lower case
    "address",  # as written, trimmed
    "address_key",  # lower case, punctuation removed
    "city",
    "country",  # ISO 3166 alpha-2, upper case
    "account",  # IBAN without spaces, upper case (other account numbers kept, compacted)
    "wallet",
    "record_id",  # hash of the normalised fields: one party record
)

NORMALISED_TRANSFERS = pa.schema(
    [
        ("transfer_id", pa.string()),
        ("source_id", pa.string()),  # the record's own id in its source (MTCN, bank reference), when ingest has it
        ("source_file", pa.string()),
        ("record_no", pa.int64()),
        ("evidence_sha256", pa.string()),
        ("channel", pa.string()),
        ("tx_type", pa.string()),
        ("executed_at", TIMESTAMP),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("amount_eur", pa.float64()),
        *[(f"{side}_{field}", pa.string()) for side in SIDES for field in SIDE_FIELDS],
        ("agent_city", pa.string()),
        ("reference", pa.string()),
        ("merchant", pa.string()),
        ("merchant_kind", pa.string()),
        ("reference_person", pa.string()),  # name_key of a person the reference names ("for Ana Pop")
        ("reference_people", pa.int32()),  # people, rooms or passengers the reference counts ("3 rooms")
        ("problems", pa.list_(pa.string())),
    ]
)

WEIGHT = pa.struct([("comparison", pa.string()), ("level", pa.string()), ("weight", pa.float64())])

PARTY_MATCHES = pa.schema(
    [
        ("party_id", pa.string()),
        ("match_kind", pa.string()),  # online (party to a post's identifier) or party (record to record)
        ("record_id", pa.string()),
        ("other_record_id", pa.string()),
        ("post_id", pa.string()),
        ("identifier_type", pa.string()),
        ("identifier_value", pa.string()),
        ("match_weight", pa.float64()),
        ("match_probability", pa.float64()),
        ("weights", pa.list_(WEIGHT)),
        ("reason", pa.string()),
    ]
)

ALERTS = pa.schema(
    [
        ("alert_id", pa.string()),
        ("typology", pa.string()),
        ("title", pa.string()),
        ("score", pa.float64()),
        ("party_id", pa.string()),
        ("party_name", pa.string()),
        ("reasons", pa.list_(pa.string())),
        ("source", pa.string()),
        ("transfer_ids", pa.list_(pa.string())),
        ("post_ids", pa.list_(pa.string())),
        ("network_ids", pa.list_(pa.string())),
        ("amount_eur", pa.float64()),
        ("first_at", TIMESTAMP),
        ("last_at", TIMESTAMP),
    ]
)

# ``money.transfers``: the normalised transfers and the party each side was resolved to.
TRANSFERS = pa.schema([*NORMALISED_TRANSFERS, ("sender_party_id", pa.string()), ("receiver_party_id", pa.string())])

PARTIES = pa.schema(
    [
        ("party_id", pa.string()),
        ("name", pa.string()),
        ("names", pa.list_(pa.string())),
        ("phones", pa.list_(pa.string())),
        ("emails", pa.list_(pa.string())),
        ("addresses", pa.list_(pa.string())),
        ("countries", pa.list_(pa.string())),
        ("accounts", pa.list_(pa.string())),
        ("wallets", pa.list_(pa.string())),
        ("transfers_sent", pa.int64()),
        ("transfers_received", pa.int64()),
        ("sent_eur", pa.float64()),
        ("received_eur", pa.float64()),
        ("first_seen", TIMESTAMP),
        ("last_seen", TIMESTAMP),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "transfers": TRANSFERS,
    "parties": PARTIES,
    "party_matches": PARTY_MATCHES,
    "alerts": ALERTS,
}
"""What the ``money`` stage writes, checked when it commits."""
