"""Party resolution: transfer sides into parties, parties to each other (Splink) and to online identifiers.

A *party record* is one distinct way a person appears on transfers (its normalised name, phone,
email, address, country, account, wallet). Records are linked to each other by a Splink model
whose match weights are fixed, published priors (below), not trained on the data, so results are
reproducible and every link shows the weights that decided it. Linked records form one *party*.
Parties are linked to posts by exact equality of normalised identifiers.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import igraph
import pyarrow as pa

from unveil.money.names import with_name_forms
from unveil.money.schema import PARTY_MATCHES

LOG2 = math.log2
THRESHOLD_MARGIN = 0.5  # predicted below the threshold, then decided on rounded weights
# Pairs compared: those agreeing exactly on one of these. No pair can reach the threshold without
# (``best_weight_outside_blocking`` says so and a test checks it), so the address, shared by whole
# streets of records and once 95% of the pairs compared, is compared but not blocked on.
BLOCKING_COLUMNS = ("phone", "email", "account", "wallet", "name_key")

PARTY_RECORDS_SQL = """
WITH sides AS (
    SELECT sender_record_id AS record_id, sender_name AS name, sender_name_key AS name_key,
           sender_phone AS phone, sender_email AS email, sender_address AS address,
           sender_address_key AS address_key, sender_city AS city, sender_country AS country,
           sender_account AS account, sender_wallet AS wallet
    FROM transfers WHERE sender_record_id IS NOT NULL
    UNION ALL
    SELECT receiver_record_id, receiver_name, receiver_name_key, receiver_phone, receiver_email,
           receiver_address, receiver_address_key, receiver_city, receiver_country, receiver_account,
           receiver_wallet
    FROM transfers WHERE receiver_record_id IS NOT NULL
)
SELECT record_id, min(name) AS name, min(name_key) AS name_key, min(phone) AS phone, min(email) AS email,
       min(address) AS address, min(address_key) AS address_key, min(city) AS city, min(country) AS country,
       min(account) AS account, min(wallet) AS wallet, count(*) AS appearances
FROM sides
GROUP BY record_id
ORDER BY record_id
"""

# Each list column is null, not empty, when no side gave a value (the same on DuckDB and Spark).
PARTY_LISTS = {
    "name": "names",
    "phone": "phones",
    "email": "emails",
    "address": "addresses",
    "country": "countries",
    "account": "accounts",
    "wallet": "wallets",
}

PARTIES_SQL_TEMPLATE = """
WITH sides AS (
    SELECT sender_party_id AS party_id, sender_name AS name, sender_phone AS phone, sender_email AS email,
           sender_address AS address, sender_country AS country, sender_account AS account,
           sender_wallet AS wallet, 1 AS sent, 0 AS received,
           CASE WHEN tx_type <> 'cash_deposit' THEN amount_eur ELSE 0 END AS sent_eur, 0.0 AS received_eur,
           executed_at
    FROM transfers WHERE sender_party_id IS NOT NULL
    UNION ALL
    SELECT receiver_party_id, receiver_name, receiver_phone, receiver_email, receiver_address, receiver_country,
           receiver_account, receiver_wallet, 0, 1, 0.0, amount_eur, executed_at
    FROM transfers WHERE receiver_party_id IS NOT NULL
)
SELECT party_id,
       min(name) AS name,
{party_lists}
       CAST(sum(sent) AS BIGINT) AS transfers_sent, CAST(sum(received) AS BIGINT) AS transfers_received,
       round(sum(sent_eur), 2) AS sent_eur, round(sum(received_eur), 2) AS received_eur,
       min(executed_at) AS first_seen, max(executed_at) AS last_seen
FROM sides
GROUP BY party_id
ORDER BY party_id
"""

PARTIES_SQL = PARTIES_SQL_TEMPLATE.format(
    party_lists="\n".join(
        f"       CASE WHEN count({column}) > 0\n"
        f"            THEN list_sort(list(DISTINCT {column}) FILTER (WHERE {column} IS NOT NULL)) END AS {alias},"
        for column, alias in PARTY_LISTS.items()
    )
)

ONLINE_MATCHES_SQL = """
WITH party_values AS (
    SELECT DISTINCT record_id, 'phone' AS identifier_type, phone AS value FROM records WHERE phone IS NOT NULL
    UNION ALL SELECT DISTINCT record_id, 'email', email FROM records WHERE email IS NOT NULL
    UNION ALL SELECT DISTINCT record_id, 'iban', account FROM records WHERE account IS NOT NULL
    UNION ALL SELECT DISTINCT record_id, 'wallet', wallet FROM records WHERE wallet IS NOT NULL
)
SELECT DISTINCT m.party_id, v.record_id, i.post_id, v.identifier_type, v.value AS identifier_value
FROM party_values v
JOIN identifiers i ON i.type = v.identifier_type AND i.value = v.value
JOIN record_parties m ON m.record_id = v.record_id
ORDER BY party_id, post_id, identifier_type, identifier_value, record_id
"""


@dataclass(frozen=True)
class Level:
    """One level of a comparison: its label, Splink level creator, and prior m and u probabilities."""

    label: str
    creator: Any
    m: float
    u: float


@dataclass(frozen=True)
class Comparison:
    """A compared field and its levels, most specific first (the null and else levels are implicit)."""

    name: str
    column: str
    levels: tuple[Level, ...]
    else_m: float
    else_u: float


@dataclass(frozen=True)
class PartyModel:
    """The Splink model's fixed parameters and the threshold at which two records are one party."""

    prior_match_probability: float = 1e-5
    threshold_match_weight: float = 3.0


@functools.cache
def comparisons() -> tuple[Comparison, ...]:
    """The fields compared and the prior m/u probabilities of each level.

    m is the chance the level is seen when two records are the same person, u when they are not.
    The u values are rough frequencies of chance agreement in a population of transfer customers
    (names: about 1 in 2,000 share an exact full name; phones, emails and accounts are nearly
    unique); the m values allow for typos, new phones and missing fields.
    """
    import splink.comparison_level_library as cll

    def exact(column: str) -> Any:
        return cll.ExactMatchLevel(column)

    return (
        Comparison(
            "name",
            "name_key",
            (
                Level("same name", exact("name_key"), 0.72, 0.0005),
                Level("same name spelled by sound, or an initial", cll.ArraySubsetLevel("name_forms"), 0.15, 0.002),
                Level("spelling variant (edit distance <= 1)", cll.LevenshteinLevel("name_key", 1), 0.06, 0.002),
                Level("similar name (edit distance <= 2)", cll.LevenshteinLevel("name_key", 2), 0.05, 0.02),
            ),
            0.02,
            0.9755,
        ),
        Comparison("phone", "phone", (Level("same phone", exact("phone"), 0.60, 0.0001),), 0.40, 0.9999),
        Comparison("email", "email", (Level("same email", exact("email"), 0.60, 0.0001),), 0.40, 0.9999),
        Comparison("account", "account", (Level("same account", exact("account"), 0.70, 0.00005),), 0.30, 0.99995),
        Comparison("wallet", "wallet", (Level("same wallet", exact("wallet"), 0.70, 0.00005),), 0.30, 0.99995),
        Comparison(
            "address",
            "address_key",
            (
                Level("same address", exact("address_key"), 0.55, 0.001),
                Level("similar address (edit distance <= 3)", cll.LevenshteinLevel("address_key", 3), 0.15, 0.004),
            ),
            0.30,
            0.995,
        ),
        Comparison("country", "country", (Level("same country", exact("country"), 0.90, 0.15),), 0.10, 0.85),
    )


def splink_settings(model: PartyModel) -> Any:
    """Splink settings for deduplicating party records with the fixed priors."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    built: list[Any] = []
    for comparison in comparisons():
        levels: list[Any] = [cll.NullLevel(comparison.column)]
        levels += [
            lv.creator.configure(m_probability=lv.m, u_probability=lv.u, label_for_charts=lv.label)
            for lv in comparison.levels
        ]
        levels.append(cll.ElseLevel().configure(m_probability=comparison.else_m, u_probability=comparison.else_u))
        built.append(cl.CustomComparison(levels, output_column_name=comparison.name))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        probability_two_random_records_match=model.prior_match_probability,
        comparisons=built,
        blocking_rules_to_generate_predictions=[block_on(column) for column in BLOCKING_COLUMNS],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def predict_record_links(records: pa.Table, splink_api: Any, model: PartyModel) -> list[dict[str, Any]]:
    """Pairs of party records whose total match weight reaches the model's threshold."""
    from splink import Linker

    if records.num_rows < 2:
        return []
    columns = ["record_id", "name_key", "phone", "email", "account", "wallet", "address_key", "country"]
    # A name of its own per run: a long-lived Spark session keeps temporary views, and Splink's Spark
    # backend does not drop them.
    table_name = f"unveil_party_records_{uuid.uuid4().hex[:12]}"
    frame = splink_api.register(with_name_forms(records.select(columns)), table_name=table_name)
    try:
        linker = Linker(frame, splink_settings(model), log_level=logging.WARNING)
        # Predict a little below the threshold, then compare weights rounded to 6 decimals: the last bits of
        # a float sum differ between engines, and a pair must not link on one and not on the other.
        predictions: Any = linker.inference.predict(
            threshold_match_weight=model.threshold_match_weight - THRESHOLD_MARGIN
        )
        wanted = ["record_id_l", "record_id_r", "match_weight", "match_probability"]
        wanted += [f"gamma_{comparison.name}" for comparison in comparisons()]
        rows = [
            row
            for row in predictions.as_pyarrow_table().select(wanted).to_pylist()
            if round(float(row["match_weight"]), 6) >= model.threshold_match_weight
        ]
    finally:
        frame.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    return sorted(rows, key=lambda row: (row["record_id_l"], row["record_id_r"]))


def explain_link(row: dict[str, Any], model: PartyModel) -> tuple[list[dict[str, Any]], str]:
    """The weight each comparison added to a predicted pair, and a sentence saying why they link."""
    weights: list[dict[str, Any]] = [
        {"comparison": "prior", "level": "chance two records match", "weight": LOG2(_odds(model))}
    ]
    for comparison in comparisons():
        gamma = int(row[f"gamma_{comparison.name}"])
        if gamma < 0:
            continue
        level, weight = _level_and_weight(comparison, gamma)
        weights.append({"comparison": comparison.name, "level": level, "weight": round(weight, 2)})
    deciding = [w for w in weights[1:] if w["weight"] > 0]
    total = float(row["match_weight"])
    said = ", ".join(f"{w['level']} ({w['weight']:+.1f})" for w in deciding) or "no agreeing field"
    reason = f"same person: {said}; total match weight {total:+.1f} (probability {row['match_probability']:.3f})"
    return weights, reason


def _odds(model: PartyModel) -> float:
    return model.prior_match_probability / (1 - model.prior_match_probability)


def _level_and_weight(comparison: Comparison, gamma: int) -> tuple[str, float]:
    """Splink numbers non-null levels from len(levels) (most specific) down to 0 (else)."""
    position = len(comparison.levels) - gamma
    if position >= len(comparison.levels):
        return f"different {comparison.name}", LOG2(comparison.else_m / comparison.else_u)
    level = comparison.levels[position]
    return level.label, LOG2(level.m / level.u)


def party_of_records(record_ids: Sequence[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Party id of each record: connected components of the linked records, named by their smallest record."""
    index = {record: i for i, record in enumerate(record_ids)}
    graph = igraph.Graph(n=len(record_ids), edges=[(index[a], index[b]) for a, b in links])
    parties: dict[str, str] = {}
    for component in graph.connected_components():
        members = [record_ids[v] for v in component]
        party = "P" + hashlib.sha256(min(members).encode()).hexdigest()[:11]
        parties.update(dict.fromkeys(members, party))
    return parties


def party_link_rows(predictions: list[dict[str, Any]], parties: dict[str, str], model: PartyModel) -> pa.Table:
    """``money.party_matches`` rows for record-to-record links, with their weights."""
    rows = []
    for row in predictions:
        weights, reason = explain_link(row, model)
        rows.append(
            {
                "party_id": parties[row["record_id_l"]],
                "match_kind": "party",
                "record_id": row["record_id_l"],
                "other_record_id": row["record_id_r"],
                "match_weight": round(float(row["match_weight"]), 3),
                "match_probability": round(float(row["match_probability"]), 5),
                "weights": weights,
                "reason": reason,
            }
        )
    return pa.Table.from_pylist(rows, schema=PARTY_MATCHES)


def online_match_rows(matches: pa.Table) -> pa.Table:
    """``money.party_matches`` rows for party-to-post links (exact after normalisation)."""
    rows = [
        {
            **row,
            "match_kind": "online",
            "reason": (
                f"the party's {row['identifier_type']} {row['identifier_value']} appears in post {row['post_id']}"
            ),
        }
        for row in matches.to_pylist()
    ]
    return pa.Table.from_pylist(rows, schema=PARTY_MATCHES)
