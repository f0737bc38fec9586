"""Many unrelated senders to one receiver: earnings handed over to a controller, migrants paying a smuggler."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

# A sender counts when it pays the receiver through a money-transfer operator, or when it hands over
# most of what it has just received (wages passed on within days, again and again): a landlord
# paid rent by many tenants out of their salaries does not count. Fewer senders suffice when each of
# them pays again and again (a small network's victims handing over their earnings every few weeks).
SQL = """
WITH t AS (
    SELECT transfer_id, executed_at, channel, sender_party_id AS sender, receiver_party_id AS receiver,
           amount_eur, sender_country, sender_name
    FROM transfers
    WHERE tx_type = 'transfer' AND sender_party_id IS NOT NULL AND receiver_party_id IS NOT NULL
      AND sender_party_id <> receiver_party_id
),
receivers AS (
    SELECT receiver FROM t GROUP BY receiver
    HAVING count(DISTINCT sender) >= least({min_senders}, {min_regular_senders})
),
incoming AS (
    SELECT o.transfer_id, sum(i.amount_eur) AS received_before
    FROM t o
    JOIN receivers r ON r.receiver = o.receiver
    JOIN transfers i ON i.receiver_party_id = o.sender AND i.tx_type = 'transfer'
     AND epoch(o.executed_at) - epoch(i.executed_at) BETWEEN 0 AND {handover_days} * 86400
    GROUP BY o.transfer_id
),
pairs AS (
    SELECT o.sender, o.receiver,
           max(CASE WHEN o.channel = 'mto' THEN 1 ELSE 0 END) AS via_mto,
           avg(CASE WHEN o.amount_eur >= {handover_share} * n.received_before THEN 1.0 ELSE 0.0 END) AS handover_rate
    FROM t o JOIN receivers r ON r.receiver = o.receiver
    LEFT JOIN incoming n ON n.transfer_id = o.transfer_id
    GROUP BY o.sender, o.receiver
),
counted AS (
    SELECT o.* FROM t o JOIN pairs p ON p.sender = o.sender AND p.receiver = o.receiver
    WHERE p.via_mto = 1 OR p.handover_rate >= {handover_rate}
),
windows AS (
    SELECT a.receiver, a.transfer_id AS anchor, b.transfer_id, b.sender, b.amount_eur, b.executed_at,
           b.sender_country, b.sender_name, b.channel
    FROM counted a JOIN counted b ON b.receiver = a.receiver
     AND epoch(b.executed_at) - epoch(a.executed_at) BETWEEN 0 AND {window_days} * 86400
),
per_sender AS (
    SELECT receiver, anchor, sender, count(*) AS payments FROM windows GROUP BY receiver, anchor, sender
),
per_anchor AS (
    SELECT receiver, anchor, count(*) AS senders,
           sum(CASE WHEN payments >= {min_payments} THEN 1 ELSE 0 END) AS regular_senders
    FROM per_sender GROUP BY receiver, anchor
),
best AS (
    SELECT receiver, anchor, senders, regular_senders,
           row_number() OVER (PARTITION BY receiver ORDER BY senders DESC, regular_senders DESC, anchor) AS position
    FROM per_anchor WHERE senders >= {min_senders} OR regular_senders >= {min_regular_senders}
)
SELECT w.receiver AS party_id,
       least(1.0, 0.5 + 0.5 * (max(b.senders) - {min_senders}) / {min_senders}) AS score,
       max(b.regular_senders) AS regular_senders,
       list_sort(list(DISTINCT w.transfer_id)) AS transfer_ids,
       list_sort(list(DISTINCT w.sender_name) FILTER (WHERE w.sender_name IS NOT NULL)) AS sender_names,
       count(DISTINCT w.sender) AS sender_count,
       list_sort(list(DISTINCT w.sender_country) FILTER (WHERE w.sender_country IS NOT NULL)) AS sender_countries,
       sum(CASE WHEN w.channel = 'mto' THEN 1 ELSE 0 END) AS via_mto,
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
    handed = len(row["transfer_ids"]) - int(row["via_mto"])
    how = f"{row['via_mto']} through a money-transfer operator"
    if handed:
        how += (
            f", {handed} handing over at least {parameters['handover_share']:.0%} of what the sender had received "
            f"in the {parameters['handover_days']} days before"
        )
    return [
        f"received {len(row['transfer_ids'])} transfers totalling {eur(row['amount_eur'])} from "
        f"{row['sender_count']} different senders (parties not linked to each other) within "
        f"{parameters['window_days']} days, {when(row['first_at'])} to {when(row['last_at'])}",
        f"{how}",
        f"{row['regular_senders']} of the senders paid {parameters['min_payments']} times or more",
        f"senders: {listed(row['sender_names'])}, from {listed(row['sender_countries']) or 'unknown countries'}; "
        f"threshold: {parameters['min_senders']} senders, or {parameters['min_regular_senders']} paying "
        f"{parameters['min_payments']} times or more",
    ]


TYPOLOGY = TransferTypology(
    name="many_senders",
    title="Many unrelated senders to one receiver",
    description=(
        "One person receives money from many different people: through money-transfer operators "
        "(victims handing over earnings to a controller, migrants' relatives paying a collector) or "
        "as wages passed on within days of being paid (workers handing back their pay)."
    ),
    source=(
        "FATF (2018) Financial Flows from Human Trafficking (multiple unrelated senders to one "
        "beneficiary; wages paid and immediately transferred to a third party); FATF (2022) Money "
        "Laundering and Terrorist Financing Risks Arising from Migrant Smuggling (collectors)"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={
        "min_senders": 4,
        "min_regular_senders": 3,
        "min_payments": 2,
        "window_days": 365,
        "handover_days": 7,
        "handover_share": 0.7,
        "handover_rate": 0.6,
    },
)
