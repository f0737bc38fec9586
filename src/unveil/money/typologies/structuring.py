"""Amounts just under reporting or identification thresholds, repeated."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH limits AS (
    SELECT 'mto_id' AS kind, {id_threshold_eur} AS threshold
    UNION ALL SELECT 'cash_report', {cash_threshold_eur}
),
hits AS (
    SELECT t.transfer_id, coalesce(t.sender_party_id, t.receiver_party_id) AS party_id, t.executed_at,
           t.amount_eur, l.threshold
    FROM transfers t
    JOIN limits l
      ON (l.kind = 'mto_id' AND t.tx_type = 'transfer' AND t.channel = 'mto')
      OR (l.kind = 'cash_report' AND t.tx_type = 'cash_deposit')
    WHERE coalesce(t.sender_party_id, t.receiver_party_id) IS NOT NULL
      AND t.amount_eur >= l.threshold * (1 - {band}) AND t.amount_eur < l.threshold
),
windows AS (
    SELECT a.party_id, a.transfer_id AS anchor, b.transfer_id, b.amount_eur, b.executed_at, b.threshold
    FROM hits a JOIN hits b ON a.party_id = b.party_id
     AND epoch(b.executed_at) - epoch(a.executed_at) BETWEEN 0 AND {window_days} * 86400
),
best AS (
    SELECT party_id, anchor, count(*) AS hits,
           row_number() OVER (PARTITION BY party_id ORDER BY count(*) DESC, anchor) AS position
    FROM windows GROUP BY party_id, anchor HAVING count(*) >= {min_count}
)
SELECT w.party_id,
       least(1.0, 0.5 + 0.1 * (count(*) - {min_count})) AS score,
       list_sort(list(w.transfer_id)) AS transfer_ids,
       list_sort(list(DISTINCT w.threshold)) AS thresholds,
       count(*) AS hit_count,
       round(min(w.amount_eur), 2) AS lowest_eur,
       round(max(w.amount_eur), 2) AS highest_eur,
       round(sum(w.amount_eur), 2) AS amount_eur,
       min(w.executed_at) AS first_at,
       max(w.executed_at) AS last_at
FROM best b JOIN windows w ON w.party_id = b.party_id AND w.anchor = b.anchor
WHERE b.position = 1
GROUP BY w.party_id
ORDER BY w.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a structuring alert."""
    limits = listed(eur(limit) for limit in row["thresholds"])
    return [
        f"{row['hit_count']} money-transfer sends or cash deposits between {eur(row['lowest_eur'])} and "
        f"{eur(row['highest_eur'])}, "
        f"each less than {parameters['band']:.0%} under a threshold ({limits}), within "
        f"{parameters['window_days']} days ({when(row['first_at'])} to {when(row['last_at'])})",
        f"total {eur(row['amount_eur'])}; threshold: {parameters['min_count']} such amounts",
    ]


TYPOLOGY = TransferTypology(
    name="structuring",
    title="Amounts just under reporting or ID thresholds",
    description=(
        "Repeated amounts just below the thresholds at which a money-transfer operator must verify "
        "the customer's identity (EUR 1,000 for occasional transfers, Regulation (EU) 2023/1113) or cash "
        "is reported (EUR 10,000): structuring to stay unseen."
    ),
    source=(
        "FinCEN FIN-2014-A008 Guidance on Recognizing Activity that May be Associated with Human "
        "Smuggling and Human Trafficking (structuring to avoid reporting thresholds)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={
        "id_threshold_eur": 1000.0,
        "cash_threshold_eur": 10000.0,
        "band": 0.1,
        "min_count": 3,
        "window_days": 150,
    },
)
