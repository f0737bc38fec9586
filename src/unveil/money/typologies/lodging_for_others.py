"""Hotels, rent and travel paid for several other people."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH paid AS (
    SELECT transfer_id, sender_party_id AS party_id, executed_at, amount_eur, merchant_kind,
           coalesce(merchant, receiver_name) AS merchant_name, reference_person,
           CAST(executed_at AS DATE) AS paid_on
    FROM transfers
    WHERE merchant_kind IN ('lodging', 'rent', 'travel') AND sender_party_id IS NOT NULL
      AND tx_type IN ('payment', 'transfer')
      AND (reference_person IS NULL OR reference_person <> coalesce(sender_name_key, ''))
),
windows AS (
    SELECT a.party_id, a.transfer_id AS anchor, b.transfer_id, b.reference_person, b.amount_eur, b.executed_at,
           b.merchant_kind, b.merchant_name, b.paid_on
    FROM paid a JOIN paid b ON a.party_id = b.party_id
     AND epoch(b.executed_at) - epoch(a.executed_at) BETWEEN 0 AND {window_days} * 86400
),
per_anchor AS (
    SELECT party_id, anchor, count(DISTINCT reference_person) AS people
    FROM windows GROUP BY party_id, anchor
),
same_day AS (
    SELECT party_id, paid_on, count(*) AS rooms FROM paid WHERE merchant_kind = 'lodging'
    GROUP BY party_id, paid_on
),
best AS (
    SELECT party_id, anchor, people,
           row_number() OVER (PARTITION BY party_id ORDER BY people DESC, anchor) AS position
    FROM per_anchor WHERE people >= {min_people}
),
rooms AS (SELECT party_id, max(rooms) AS max_rooms FROM same_day GROUP BY party_id)
SELECT w.party_id,
       least(1.0, 0.5 + 0.1 * (max(b.people) - {min_people})) AS score,
       list_sort(list(DISTINCT w.transfer_id)) AS transfer_ids,
       list_sort(list(DISTINCT w.reference_person) FILTER (WHERE w.reference_person IS NOT NULL)) AS people,
       max(b.people) AS people_count,
       list_sort(list(DISTINCT w.merchant_kind)) AS kinds,
       list_sort(list(DISTINCT w.merchant_name) FILTER (WHERE w.merchant_name IS NOT NULL)) AS merchants,
       max(r.max_rooms) AS max_rooms_same_day,
       round(sum(w.amount_eur), 2) AS amount_eur,
       min(w.executed_at) AS first_at,
       max(w.executed_at) AS last_at
FROM best b
JOIN windows w ON w.party_id = b.party_id AND w.anchor = b.anchor
LEFT JOIN rooms r ON r.party_id = b.party_id
WHERE b.position = 1
GROUP BY w.party_id
ORDER BY w.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a lodging-for-others alert."""
    reasons = [
        f"paid {len(row['transfer_ids'])} {'/'.join(row['kinds'])} bills totalling {eur(row['amount_eur'])} "
        f"for {row['people_count']} other people named in the payment references ({listed(row['people'])}) "
        f"within {parameters['window_days']} days, {when(row['first_at'])} to {when(row['last_at'])}",
        f"paid to {listed(row['merchants'])}; threshold: {parameters['min_people']} other people",
    ]
    if (row.get("max_rooms_same_day") or 0) > 1:
        reasons.append(f"up to {row['max_rooms_same_day']} lodging payments on the same day")
    return reasons


TYPOLOGY = TransferTypology(
    name="lodging_for_others",
    title="Hotels, rent and travel paid for several other people",
    description=(
        "One person pays hotel rooms, rent or tickets for several other people: housing and moving victims or migrants."
    ),
    source=(
        "FinCEN FIN-2014-A008 (payments for lodging and travel of others); FinCEN FIN-2020-A008 "
        "(a customer paying for multiple rooms, rent or travel for others)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_people": 3, "window_days": 30},
)
