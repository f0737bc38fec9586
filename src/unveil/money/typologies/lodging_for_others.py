"""Hotels, rent and travel paid for several other people, again and again."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

# A payment is "for others" when its reference counts several people, rooms or passengers
# ("3 rooms", "4 passengers") or names someone other than the payer ("room for Ana Pop").
SQL = """
WITH paid AS (
    SELECT transfer_id, sender_party_id AS party_id, executed_at, amount_eur, merchant_kind,
           coalesce(merchant, receiver_name) AS merchant_name, reference_person,
           coalesce(reference_people, 1) AS people
    FROM transfers
    WHERE merchant_kind IN ('lodging', 'rent', 'travel') AND sender_party_id IS NOT NULL
      AND tx_type IN ('payment', 'transfer')
      AND (coalesce(reference_people, 1) >= {min_people}
           OR (reference_person IS NOT NULL AND reference_person <> coalesce(sender_name_key, '')))
),
windows AS (
    SELECT a.party_id, a.transfer_id AS anchor, b.transfer_id, b.reference_person, b.people, b.amount_eur,
           b.executed_at, b.merchant_kind, b.merchant_name
    FROM paid a JOIN paid b ON a.party_id = b.party_id
     AND epoch(b.executed_at) - epoch(a.executed_at) BETWEEN 0 AND {window_days} * 86400
),
best AS (
    SELECT party_id, anchor, count(*) AS payments,
           row_number() OVER (PARTITION BY party_id ORDER BY count(*) DESC, anchor) AS position
    FROM windows GROUP BY party_id, anchor HAVING count(*) >= {min_payments}
)
SELECT w.party_id,
       least(1.0, 0.5 + 0.05 * (count(*) - {min_payments}) + 0.02 * max(w.people)) AS score,
       list_sort(list(DISTINCT w.transfer_id)) AS transfer_ids,
       list_sort(list(DISTINCT w.reference_person) FILTER (WHERE w.reference_person IS NOT NULL)) AS named_people,
       count(*) AS payment_count,
       min(w.people) AS fewest_people,
       max(w.people) AS most_people,
       list_sort(list(DISTINCT w.merchant_kind)) AS kinds,
       list_sort(list(DISTINCT w.merchant_name) FILTER (WHERE w.merchant_name IS NOT NULL)) AS merchants,
       round(sum(w.amount_eur), 2) AS amount_eur,
       min(w.executed_at) AS first_at,
       max(w.executed_at) AS last_at
FROM best b JOIN windows w ON w.party_id = b.party_id AND w.anchor = b.anchor
WHERE b.position = 1
GROUP BY w.party_id
ORDER BY w.party_id
"""


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a lodging-for-others alert."""
    people = (
        f"{row['fewest_people']} to {row['most_people']}"
        if row["fewest_people"] != row["most_people"]
        else str(row["most_people"])
    )
    reasons = [
        f"paid {row['payment_count']} {'/'.join(row['kinds'])} bills totalling {eur(row['amount_eur'])} within "
        f"{parameters['window_days']} days ({when(row['first_at'])} to {when(row['last_at'])}), each for {people} "
        f"people, rooms or passengers according to the payment reference",
        f"paid to {listed(row['merchants'])}; thresholds: {parameters['min_payments']} payments for at least "
        f"{parameters['min_people']} people",
    ]
    if row["named_people"]:
        reasons.append(f"references name other people: {listed(row['named_people'])}")
    return reasons


TYPOLOGY = TransferTypology(
    name="lodging_for_others",
    title="Hotels, rent and travel paid for several other people",
    description=(
        "One person pays, again and again, hotel rooms, rent or tickets for several people: housing "
        "and moving victims, workers or migrants."
    ),
    source=(
        "FinCEN FIN-2014-A008 (payments for lodging and travel of others); FinCEN FIN-2020-A008 "
        "(a customer paying for multiple rooms, rent or travel for others)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"min_people": 2, "min_payments": 3, "window_days": 75},
)
