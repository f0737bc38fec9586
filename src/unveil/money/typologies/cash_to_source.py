"""Cash deposits followed by transfers to a source country of victims or migrants."""

from __future__ import annotations

from unveil.money.typologies.base import Parameters, Row, TransferTypology, eur, listed, when

SQL = """
WITH deposits AS (
    SELECT transfer_id, coalesce(receiver_party_id, sender_party_id) AS party_id, executed_at, amount_eur,
           agent_city
    FROM transfers WHERE tx_type = 'cash_deposit' AND coalesce(receiver_party_id, sender_party_id) IS NOT NULL
),
destinations AS (
    SELECT transfer_id, sender_party_id AS party_id, executed_at, amount_eur,
           CASE WHEN receiver_country IN ({source_countries}) THEN receiver_country
                WHEN regexp_matches(receiver_account, '^[A-Z][A-Z][0-9][0-9][A-Z0-9]+$')
                 AND length(receiver_account) >= 15
                 AND substr(receiver_account, 1, 2) IN ({source_countries}) THEN substr(receiver_account, 1, 2)
           END AS receiver_country,
           receiver_country IS NULL OR receiver_country NOT IN ({source_countries}) AS from_account
    FROM transfers
    WHERE tx_type = 'transfer' AND sender_party_id IS NOT NULL
),
outgoing AS (
    SELECT * FROM destinations WHERE receiver_country IS NOT NULL
),
cycles AS (
    SELECT d.party_id, d.transfer_id AS deposit_id, o.transfer_id AS outgoing_id, d.amount_eur AS deposited,
           o.amount_eur AS sent, o.receiver_country, o.from_account,
           d.executed_at AS deposited_at, o.executed_at AS sent_at
    FROM deposits d JOIN outgoing o ON o.party_id = d.party_id
     AND epoch(o.executed_at) - epoch(d.executed_at) BETWEEN 0 AND {max_hours} * 3600
     AND o.amount_eur >= {min_share} * d.amount_eur
),
per_party AS (
    SELECT party_id, count(DISTINCT deposit_id) AS deposits, count(DISTINCT outgoing_id) AS transfers_out
    FROM cycles GROUP BY party_id
)
SELECT c.party_id,
       least(1.0, 0.5 + 0.1 * (min(p.deposits) - {min_cycles})) AS score,
       list_sort(list(DISTINCT c.deposit_id)) AS deposit_ids,
       list_sort(list(DISTINCT c.outgoing_id)) AS outgoing_ids,
       list_sort(list_concat(list(DISTINCT c.deposit_id), list(DISTINCT c.outgoing_id))) AS transfer_ids,
       list_sort(list(DISTINCT c.receiver_country)) AS countries,
       count(DISTINCT CASE WHEN c.from_account THEN c.outgoing_id END) AS from_account,
       min(p.deposits) AS deposit_count,
       round(sum(c.sent), 2) AS amount_eur,
       min(c.deposited_at) AS first_at,
       max(c.sent_at) AS last_at
FROM cycles c JOIN per_party p ON p.party_id = c.party_id
WHERE p.deposits >= {min_cycles} AND p.transfers_out >= {min_cycles}
GROUP BY c.party_id
ORDER BY c.party_id
"""

SOURCE_COUNTRIES = (
    # Countries of origin most often named for victims of trafficking and smuggled migrants reaching
    # the EU (Europol and FATF reports cited below); an investigation should set its own list.
    "NG", "RO", "BG", "HU", "AL", "MD", "UA", "VN", "CN", "TH", "PH", "MA", "DZ", "TN", "EG", "LY",
    "SY", "IQ", "AF", "PK", "BD", "ER", "SO", "SD", "GN", "CI", "SN", "CM", "GH", "BR", "DO", "CO",
)  # fmt: skip


def explain(row: Row, parameters: Parameters) -> list[str]:
    """Reasons of a cash-to-source-country alert."""
    reasons = [
        f"{row['deposit_count']} cash deposits were each followed within {parameters['max_hours']} hours by a "
        f"transfer of at least {parameters['min_share']:.0%} of the amount to {listed(row['countries'])}",
        f"{eur(row['amount_eur'])} sent on from {when(row['first_at'])} to {when(row['last_at'])}; "
        f"threshold: {parameters['min_cycles']} deposit-then-transfer cycles",
        f"destination countries are on the source-country list ({len(parameters['source_countries'])} countries)",
    ]
    if row.get("from_account"):
        reasons.append(
            f"for {row['from_account']} of the transfers the destination is the country of the receiving IBAN "
            "(the record gives no source country for the receiver)"
        )
    return reasons


TYPOLOGY = TransferTypology(
    name="cash_to_source",
    title="Cash deposits, then transfers to source countries",
    description=(
        "Cash is paid in and, within hours, sent abroad to a country of origin of victims or migrants, "
        "over and over: proceeds of exploitation moved home, or smuggling fees paid on."
    ),
    source=(
        "FATF (2018) Financial Flows from Human Trafficking (cash deposits followed by wire transfers "
        "to countries of origin); Europol EMSC / THB situation reports for the source-country list"
    ),
    sql_template=SQL,
    explain=explain,
    parameters={"source_countries": SOURCE_COUNTRIES, "max_hours": 72, "min_share": 0.3, "min_cycles": 2},
)
