"""Repeated card payments to online classified-ad and escort-ad sites."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH sites AS (
    SELECT DISTINCT lower(platform) AS site FROM posts WHERE platform LIKE '%.%'
    UNION
    SELECT DISTINCT regexp_replace(lower(regexp_extract(url, '^[a-zA-Z]+://([^/:?#]+)', 1)), '^www[.]', '')
    FROM posts WHERE url LIKE '%://%'
),
site_payments AS (
    SELECT t.* FROM transfers t
    LEFT JOIN sites s ON s.site = lower(t.merchant)
    WHERE t.tx_type = 'payment' AND t.sender_party_id IS NOT NULL
      AND (t.merchant_kind = 'ad_site' OR s.site IS NOT NULL)
),
payments AS (
    SELECT sender_party_id AS party_id,
           list_sort(list(transfer_id)) AS transfer_ids,
           count(*) AS payment_count,
           list_sort(list(DISTINCT coalesce(merchant, receiver_name))) AS sites,
           round(sum(amount_eur), 2) AS amount_eur,
           min(executed_at) AS first_at,
           max(executed_at) AS last_at
    FROM site_payments
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
        f"{row['payment_count']} card payments totalling {eur(row['amount_eur'])} to ad or escort sites, or to "
        f"sites where the ads in this workspace were posted "
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
        "Repeated payments to online classified-ad or escort-ad sites (a list of known sites, and every "
        "site the workspace's posts come from): someone buying adverts, often for several people."
    ),
    source=(
        "FinCEN FIN-2020-A008 (frequent payments to online escort services for advertising); "
        "FINTRAC Operational Alert, Project Protect (2016, updated 2021)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_payments": 3},
    inputs=("transfers", "online", "posts"),
)
