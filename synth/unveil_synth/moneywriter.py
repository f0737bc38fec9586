"""``MoneyWriter``: where planted typologies and background activity write transfers, parties and instances."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from unveil_synth.ledger import Ledger, Transfer
from unveil_synth.parties import Party, name_variant


class MoneyWriter:
    """Plants typologies for networks and records every party and instance in the truth files."""

    def __init__(self, out: Path, ledger: Ledger, part: int) -> None:
        self.ledger, self.part = ledger, part
        parts = out / ".parts"
        self._parties = (parts / f"money-{part:05d}-parties.csv").open("w", encoding="utf-8", newline="")
        self._instances = (parts / f"money-{part:05d}-typologies.csv").open("w", encoding="utf-8", newline="")
        self.party_rows, self.instance_rows = csv.writer(self._parties), csv.writer(self._instances)
        self.sequence = 0
        self.instances = 0

    def party(self, party: Party, planted: bool, phone_in_posts: bool = False) -> Party:
        """Record a party in ``truth/parties.csv`` (transfers write its name with variants)."""
        self.party_rows.writerow(
            (
                party.party_id,
                party.role,
                party.network_id,
                party.name,
                party.phone.e164,
                party.email,
                party.account,
                party.country,
                party.city,
                int(planted),
                int(phone_in_posts),
            )
        )
        return party

    def send(
        self,
        rng: random.Random,
        channel: str,
        tx_type: str,
        epoch: float,
        amount: float,
        sender: Party | None,
        receiver: Party | None,
        *,
        instance: str = "",
        typology: str = "",
        network: str = "",
        agent_city: str = "",
        merchant: str = "",
        reference: str = "",
    ) -> None:
        """Write one transfer (names written with spelling variants)."""
        self.sequence += 1
        number = self.part * 1_000_000 + self.sequence
        transfer_id = f"{7_000_000_000 + number}" if channel == "mto" else f"BK{number:010d}"
        self.ledger.add(
            Transfer(
                transfer_id,
                channel,
                tx_type,
                epoch,
                round(amount, 2),
                sender,
                receiver,
                name_variant(sender, rng) if sender else "",
                name_variant(receiver, rng) if receiver else "",
                agent_city,
                merchant,
                reference,
                instance,
                typology,
                network,
            )
        )

    def instance(self, network: str, typology: str, party: Party, description: str) -> str:
        """Record a planted typology instance; return its id."""
        self.instances += 1
        instance_id = f"TY{self.instances:05d}"
        self.instance_rows.writerow((instance_id, typology, network, party.party_id, description))
        return instance_id

    def close(self) -> None:
        """Close the truth files."""
        self._parties.close()
        self._instances.close()
