"""The cross-check itself: parties whose phone, email, account or wallet appears in online posts."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH matched AS (
    SELECT party_id, count(DISTINCT post_id) AS post_count,
           count(DISTINCT identifier_type) AS identifier_types,
           list_sort(list(DISTINCT identifier_type || ' ' || identifier_value)) AS identifiers,
           list_sort(list(DISTINCT post_id)) AS post_ids
    FROM online GROUP BY party_id
    HAVING count(DISTINCT post_id) >= {min_posts}
),
moves AS (
    SELECT sender_party_id AS party_id, transfer_id, amount_eur, executed_at FROM transfers
    WHERE sender_party_id IS NOT NULL
    UNION ALL
    SELECT receiver_party_id, transfer_id, amount_eur, executed_at FROM transfers
    WHERE receiver_party_id IS NOT NULL
)
SELECT m.party_id,
       least(1.0, 0.6 + 0.1 * (m.identifier_types - 1) + 0.02 * (m.post_count - {min_posts})) AS score,
       list_sort(list(DISTINCT t.transfer_id)) AS transfer_ids,
       m.post_ids, m.post_count, m.identifiers,
       count(DISTINCT t.transfer_id) AS transfer_count,
       round(sum(t.amount_eur), 2) AS amount_eur,
       min(t.executed_at) AS first_at,
       max(t.executed_at) AS last_at
FROM matched m JOIN moves t ON t.party_id = m.party_id
GROUP BY m.party_id, m.post_count, m.identifier_types, m.identifiers, m.post_ids
ORDER BY m.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of an online-identifier alert."""
    return [
        f"the party's {listed(row['identifiers'], 3)} appear(s) in {row['post_count']} online posts "
        f"({listed(row['post_ids'], 3)}), matched exactly after normalisation",
        f"the party took part in {row['transfer_count']} transfers totalling {eur(row['amount_eur'])} "
        f"from {when(row['first_at'])} to {when(row['last_at'])}",
    ]


TYPOLOGY = TransferTypology(
    name="online_identifiers",
    title="Party's phone, email or account appears online",
    description=(
        "A sender's or receiver's phone number, email address, bank account or wallet is the one "
        "written in online ads or posts: the money and the ads belong to the same people."
    ),
    source=(
        "FINTRAC Operational Alert, Project Protect (2016, updated 2021): matching customers' contact "
        "details to those in online sex-work ads; Europol EMPACT THB financial investigation guidance"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_posts": 1},
    inputs=("transfers", "online"),
)
