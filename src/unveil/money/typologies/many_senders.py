"""Many unrelated senders to one receiver: earnings handed over to a controller, migrants paying a smuggler."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH t AS (
    SELECT transfer_id, executed_at, sender_party_id AS sender, receiver_party_id AS receiver,
           amount_eur, sender_country, sender_name
    FROM transfers
    WHERE tx_type = 'transfer' AND sender_party_id IS NOT NULL AND receiver_party_id IS NOT NULL
      AND sender_party_id <> receiver_party_id
),
candidates AS (
    SELECT receiver FROM t GROUP BY receiver HAVING count(DISTINCT sender) >= {min_senders}
),
windows AS (
    SELECT a.receiver, a.transfer_id AS anchor, b.transfer_id, b.sender, b.amount_eur, b.executed_at,
           b.sender_country, b.sender_name
    FROM t a
    JOIN candidates c ON c.receiver = a.receiver
    JOIN t b ON b.receiver = a.receiver
     AND epoch(b.executed_at) - epoch(a.executed_at) BETWEEN 0 AND {window_days} * 86400
),
per_anchor AS (
    SELECT receiver, anchor, count(DISTINCT sender) AS senders FROM windows GROUP BY receiver, anchor
),
best AS (
    SELECT receiver, anchor, senders,
           row_number() OVER (PARTITION BY receiver ORDER BY senders DESC, anchor) AS position
    FROM per_anchor WHERE senders >= {min_senders}
)
SELECT w.receiver AS party_id,
       least(1.0, 0.5 + 0.5 * (max(b.senders) - {min_senders}) / {min_senders}) AS score,
       list_sort(list(DISTINCT w.transfer_id)) AS transfer_ids,
       list_sort(list(DISTINCT w.sender_name) FILTER (WHERE w.sender_name IS NOT NULL)) AS sender_names,
       count(DISTINCT w.sender) AS sender_count,
       list_sort(list(DISTINCT w.sender_country) FILTER (WHERE w.sender_country IS NOT NULL)) AS sender_countries,
       round(sum(w.amount_eur), 2) AS amount_eur,
       min(w.executed_at) AS first_at,
       max(w.executed_at) AS last_at
FROM best b JOIN windows w ON w.receiver = b.receiver AND w.anchor = b.anchor
WHERE b.position = 1
GROUP BY w.receiver
ORDER BY party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a many-senders alert."""
    return [
        f"received {len(row['transfer_ids'])} transfers totalling {eur(row['amount_eur'])} from "
        f"{row['sender_count']} different senders (parties not linked to each other) within "
        f"{parameters['window_days']} days, {when(row['first_at'])} to {when(row['last_at'])}",
        f"senders: {listed(row['sender_names'])}, from {listed(row['sender_countries']) or 'unknown countries'}; "
        f"threshold: {parameters['min_senders']} senders",
    ]


TYPOLOGY = TransferTypology(
    name="many_senders",
    title="Many unrelated senders to one receiver",
    description=(
        "One person receives money-transfers from many different people in a short time: victims "
        "handing over earnings to a controller, or migrants paying a smuggler or a collector."
    ),
    source=(
        "FATF (2018) Financial Flows from Human Trafficking, indicators on multiple unrelated senders "
        "to one beneficiary; FATF (2022) Money Laundering and Terrorist Financing Risks Arising from "
        "Migrant Smuggling (collectors receiving many small transfers)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_senders": 5, "window_days": 30},
)
