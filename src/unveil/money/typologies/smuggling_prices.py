"""Round amounts per person, paid by several senders, matching smuggling prices posted online."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH round_payments AS (
    SELECT transfer_id, sender_party_id AS sender, receiver_party_id AS party_id, amount, currency, amount_eur,
           executed_at
    FROM transfers
    WHERE tx_type = 'transfer' AND channel IN ({channels}) AND sender_party_id IS NOT NULL
      AND receiver_party_id IS NOT NULL AND amount_eur >= {min_price_eur} AND amount % {round_to} = 0
),
candidates AS (
    SELECT party_id FROM round_payments GROUP BY party_id HAVING count(DISTINCT sender) >= {min_senders}
),
price_values AS (
    SELECT amount_eur AS price_eur, CAST(round(amount_eur / {round_to}) AS BIGINT) AS bucket,
           list_sort(list(DISTINCT post_id)) AS post_ids
    FROM prices
    WHERE amount_eur >= {min_price_eur} AND (unit IS NULL OR unit = 'person')
    GROUP BY amount_eur
),
people AS (SELECT unnest([1, 2, 3, 4, 5, 6]) AS persons),
per_person AS (
    SELECT r.*, k.persons, CAST(round(r.amount_eur / k.persons / {round_to}) AS BIGINT) AS bucket
    FROM round_payments r JOIN candidates c ON c.party_id = r.party_id CROSS JOIN people k
    WHERE k.persons <= {max_people}
),
matched AS (
    SELECT p.transfer_id, p.sender, p.party_id, p.amount, p.currency, p.amount_eur, p.executed_at, p.persons,
           v.price_eur, v.post_ids
    FROM per_person p JOIN price_values v ON v.bucket = p.bucket
    WHERE abs(v.price_eur * p.persons - p.amount_eur) <= {tolerance} * p.amount_eur
),
prices_paid AS (
    SELECT party_id, price_eur FROM matched GROUP BY party_id, price_eur
    HAVING count(DISTINCT sender) >= {min_senders}
),
chosen AS (
    SELECT m.* FROM matched m JOIN prices_paid p ON p.party_id = m.party_id AND p.price_eur = m.price_eur
),
totals AS (
    SELECT party_id, round(sum(amount_eur), 2) AS amount_eur
    FROM (SELECT DISTINCT party_id, transfer_id, amount_eur FROM chosen) AS paid
    GROUP BY party_id
)
SELECT c.party_id,
       least(1.0, 0.6 + 0.05 * (count(DISTINCT c.sender) - {min_senders})) AS score,
       list_sort(list(DISTINCT c.transfer_id)) AS transfer_ids,
       list_sort(list_distinct(flatten(list(c.post_ids)))) AS post_ids,
       list_sort(list(DISTINCT CAST(c.amount AS BIGINT) || ' ' || c.currency)) AS amounts,
       list_sort(list(DISTINCT c.price_eur)) AS prices_eur,
       max(c.persons) AS most_persons,
       count(DISTINCT c.sender) AS sender_count,
       max(t.amount_eur) AS amount_eur,
       min(c.executed_at) AS first_at,
       max(c.executed_at) AS last_at
FROM chosen c JOIN totals t ON t.party_id = c.party_id
GROUP BY c.party_id
ORDER BY c.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a smuggling-price alert."""
    return [
        f"{row['sender_count']} different senders paid round amounts ({listed(row['amounts'])}) "
        f"to this receiver, {len(row['transfer_ids'])} transfers totalling {eur(row['amount_eur'])} "
        f"from {when(row['first_at'])} to {when(row['last_at'])}",
        f"each amount is 1 to {row['most_persons']} times a per-person price posted online "
        f"({listed(eur(price) for price in row['prices_eur'])}, within {parameters['tolerance']:.0%}) in "
        f"{len(row['post_ids'])} posts ({listed(row['post_ids'], 3)})",
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
    parameters={
        "min_senders": 3,
        "round_to": 50,
        "min_price_eur": 300.0,
        "tolerance": 0.02,
        "max_people": 4,
        "channels": ("mto", "crypto"),  # fees are paid through transfer operators, hawala agents, crypto
    },
    inputs=("transfers", "prices"),
)
