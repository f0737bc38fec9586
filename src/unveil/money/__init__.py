"""Financial cross-check: transfers, parties resolved to each other and to online identifiers, typology alerts.

The ``money`` stage reads ``ingest.transfers`` and the online tables (identifiers, prices, networks)
and writes ``money.transfers``, ``money.parties``, ``money.party_matches`` and ``money.alerts``.
"""
