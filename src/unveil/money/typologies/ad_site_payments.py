"""Repeated card payments to online classified-ad and escort-ad sites."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH payments AS (
    SELECT sender_party_id AS party_id,
           list_sort(list(transfer_id)) AS transfer_ids,
           count(*) AS payment_count,
           list_sort(list(DISTINCT coalesce(merchant, receiver_name))) AS sites,
           round(sum(amount_eur), 2) AS amount_eur,
           min(executed_at) AS first_at,
           max(executed_at) AS last_at
    FROM transfers
    WHERE tx_type = 'payment' AND merchant_kind = 'ad_site' AND sender_party_id IS NOT NULL
    GROUP BY sender_party_id
    HAVING count(*) >= {min_payments}
),
posts AS (
    SELECT party_id, list_sort(list(DISTINCT post_id)) AS post_ids FROM online GROUP BY party_id
)
SELECT p.party_id,
       least(1.0, 0.4 + 0.1 * (p.payment_count - {min_payments})
                  + CASE WHEN o.party_id IS NOT NULL THEN 0.3 ELSE 0 END) AS score,
       p.transfer_ids,
       coalesce(o.post_ids, CAST([] AS VARCHAR[])) AS post_ids,
       p.payment_count, p.sites, p.amount_eur, p.first_at, p.last_at
FROM payments p LEFT JOIN posts o ON o.party_id = p.party_id
ORDER BY p.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of an ad-site payments alert."""
    reasons = [
        f"{row['payment_count']} card payments totalling {eur(row['amount_eur'])} to ad or escort sites "
        f"({listed(row['sites'])}) from {when(row['first_at'])} to {when(row['last_at'])}; "
        f"threshold: {parameters['min_payments']} payments",
    ]
    if row["post_ids"]:
        reasons.append(f"the payer's own identifiers appear in {len(row['post_ids'])} online posts (score raised)")
    return reasons


TYPOLOGY = TransferTypology(
    name="ad_site_payments",
    title="Payments to ad and escort sites",
    description=(
        "Repeated payments to online classified-ad or escort-ad sites: someone buying adverts, "
        "often for several people."
    ),
    source=(
        "FinCEN FIN-2020-A008 (frequent payments to online escort services for advertising); "
        "FINTRAC Operational Alert, Project Protect (2016, updated 2021)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_payments": 3},
    inputs=("transfers", "online"),
)
