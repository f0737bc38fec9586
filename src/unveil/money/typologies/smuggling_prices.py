"""Round amounts per person, paid by several senders, matching smuggling prices posted online."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH round_payments AS (
    SELECT transfer_id, sender_party_id AS sender, receiver_party_id AS party_id, amount, currency, amount_eur,
           executed_at
    FROM transfers
    WHERE tx_type = 'transfer' AND sender_party_id IS NOT NULL AND receiver_party_id IS NOT NULL
      AND amount_eur >= {min_price_eur} AND amount % {round_to} = 0
),
groups AS (
    SELECT party_id, amount, currency, min(amount_eur) AS amount_eur, count(DISTINCT sender) AS senders
    FROM round_payments
    GROUP BY party_id, amount, currency
    HAVING count(DISTINCT sender) >= {min_senders}
),
posted AS (
    SELECT DISTINCT g.party_id, g.amount, g.currency, p.post_id, p.amount_eur AS price_eur
    FROM groups g JOIN prices p
      ON p.amount_eur >= {min_price_eur} AND abs(p.amount_eur - g.amount_eur) <= {tolerance} * g.amount_eur
),
matched_groups AS (
    SELECT party_id, amount, currency, list_sort(list(DISTINCT post_id)) AS post_ids
    FROM posted GROUP BY party_id, amount, currency
)
SELECT r.party_id,
       least(1.0, 0.6 + 0.05 * (count(DISTINCT r.sender) - {min_senders})) AS score,
       list_sort(list(DISTINCT r.transfer_id)) AS transfer_ids,
       list_sort(list_distinct(flatten(list(m.post_ids)))) AS post_ids,
       list_sort(list(DISTINCT CAST(r.amount AS BIGINT) || ' ' || r.currency)) AS amounts,
       count(DISTINCT r.sender) AS sender_count,
       round(sum(r.amount_eur), 2) AS amount_eur,
       min(r.executed_at) AS first_at,
       max(r.executed_at) AS last_at
FROM round_payments r
JOIN matched_groups m ON m.party_id = r.party_id AND m.amount = r.amount AND m.currency = r.currency
GROUP BY r.party_id
ORDER BY r.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a smuggling-price alert."""
    return [
        f"{row['sender_count']} different senders each paid the same round amount ({listed(row['amounts'])}) "
        f"to this receiver, {len(row['transfer_ids'])} transfers totalling {eur(row['amount_eur'])} "
        f"from {when(row['first_at'])} to {when(row['last_at'])}",
        f"the amount is within {parameters['tolerance']:.0%} of a price posted online in {len(row['post_ids'])} "
        f"posts ({listed(row['post_ids'], 3)})",
        f"thresholds: {parameters['min_senders']} senders, amounts a multiple of {parameters['round_to']}, "
        f"at least {eur(parameters['min_price_eur'])}",
    ]


TYPOLOGY = TransferTypology(
    name="smuggling_prices",
    title="Round per-person amounts matching smuggling prices posted online",
    description=(
        "Several people each send the same round amount to one receiver, and that amount is a price "
        "advertised online for a crossing or a document: migrants paying a smuggler's fee per person."
    ),
    source=(
        "FATF (2022) Money Laundering and Terrorist Financing Risks Arising from Migrant Smuggling "
        "(fees per migrant advertised on social media and paid through money-transfer operators)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_senders": 3, "round_to": 50, "min_price_eur": 300.0, "tolerance": 0.05},
    inputs=("transfers", "prices"),
)
