"""Funnel accounts: cash paid in at many places, withdrawn quickly somewhere else."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH deposits AS (
    SELECT transfer_id, receiver_party_id AS party_id, executed_at, amount_eur,
           coalesce(agent_city, sender_city, receiver_city) AS city
    FROM transfers WHERE tx_type = 'cash_deposit' AND receiver_party_id IS NOT NULL
),
withdrawals AS (
    SELECT transfer_id, sender_party_id AS party_id, executed_at, amount_eur,
           coalesce(agent_city, receiver_city, sender_city) AS city
    FROM transfers
    WHERE tx_type IN ('cash_withdrawal', 'transfer') AND sender_party_id IS NOT NULL
),
quick AS (
    SELECT d.party_id, d.transfer_id AS deposit_id, w.transfer_id AS withdrawal_id
    FROM deposits d JOIN withdrawals w ON w.party_id = d.party_id
     AND epoch(w.executed_at) - epoch(d.executed_at) BETWEEN 0 AND {max_hours} * 3600
),
per_party AS (
    SELECT d.party_id,
           count(DISTINCT d.transfer_id) AS deposit_count,
           count(DISTINCT d.city) AS deposit_cities,
           sum(d.amount_eur) AS deposited,
           min(d.executed_at) AS first_at
    FROM deposits d GROUP BY d.party_id
    HAVING count(DISTINCT d.city) >= {min_cities} AND count(DISTINCT d.transfer_id) >= {min_deposits}
),
out_flows AS (
    SELECT w.party_id, list_sort(list(DISTINCT w.transfer_id)) AS withdrawal_ids, sum(w.amount_eur) AS withdrawn,
           list_sort(list(DISTINCT w.city) FILTER (WHERE w.city IS NOT NULL)) AS withdrawal_cities,
           max(w.executed_at) AS last_at
    FROM withdrawals w JOIN (SELECT DISTINCT withdrawal_id FROM quick) q ON q.withdrawal_id = w.transfer_id
    GROUP BY w.party_id
),
deposit_lists AS (
    SELECT party_id, list_sort(list(DISTINCT transfer_id)) AS deposit_ids,
           list_sort(list(DISTINCT city) FILTER (WHERE city IS NOT NULL)) AS cities
    FROM deposits GROUP BY party_id
)
SELECT p.party_id,
       least(1.0, 0.5 + 0.1 * (p.deposit_cities - {min_cities})
                  + 0.3 * (o.withdrawn / p.deposited - {min_out_share})) AS score,
       list_sort(list_concat(l.deposit_ids, o.withdrawal_ids)) AS transfer_ids,
       p.deposit_count, p.deposit_cities, l.cities AS cities, o.withdrawal_cities,
       round(p.deposited, 2) AS amount_eur,
       round(o.withdrawn, 2) AS withdrawn_eur,
       round(o.withdrawn / p.deposited, 3) AS out_share,
       p.first_at, o.last_at
FROM per_party p
JOIN out_flows o ON o.party_id = p.party_id
JOIN deposit_lists l ON l.party_id = p.party_id
WHERE o.withdrawn >= {min_out_share} * p.deposited
ORDER BY p.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a funnel-account alert."""
    return [
        f"{row['deposit_count']} cash deposits totalling {eur(row['amount_eur'])} were paid in at "
        f"{row['deposit_cities']} different places ({listed(row['cities'])})",
        f"{row['out_share']:.0%} of it ({eur(row['withdrawn_eur'])}) left again within {parameters['max_hours']} "
        f"hours of a deposit, withdrawn in {listed(row['withdrawal_cities']) or 'unknown places'}",
        f"from {when(row['first_at'])} to {when(row['last_at'])}; thresholds: {parameters['min_cities']} places, "
        f"{parameters['min_out_share']:.0%} out quickly",
    ]


TYPOLOGY = TransferTypology(
    name="funnel_account",
    title="Funnel account",
    description=(
        "An account receives cash deposits in many different places, often below reporting "
        "thresholds, and the money is withdrawn or sent on elsewhere shortly after each deposit."
    ),
    source=(
        "FinCEN FIN-2020-A008 Supplemental Advisory on Identifying and Reporting Human Trafficking and "
        "Related Activity (funnel accounts)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_cities": 2, "min_deposits": 4, "max_hours": 72, "min_out_share": 0.3},
)
