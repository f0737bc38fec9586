"""Small transfer worlds built in code: ingest rows, posts, and a workspace to run the pipeline on."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from unveil.engine import create_engine
from unveil.ingest import ingest
from unveil.ingest.schema import TRANSFERS
from unveil.ingest.store import append_rows, record_ingest_state
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.workspace import Workspace

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Person:
    """A party as it appears on transfers."""

    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = "BE"
    account: str | None = None
    wallet: str | None = None

    def side(self, side: str) -> dict[str, Any]:
        """The eight ``sender_*`` or ``receiver_*`` columns."""
        fields = ("name", "phone", "email", "address", "city", "country", "account", "wallet")
        return {f"{side}_{name}": getattr(self, name) for name in fields}


@dataclass
class TransferLog:
    """Transfers written as ``ingest.transfers`` rows."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        sender: Person | None,
        receiver: Person | None,
        amount: float,
        *,
        days: float = 0,
        tx_type: str = "transfer",
        channel: str = "mto",
        currency: str = "EUR",
        agent_city: str | None = None,
        reference: str | None = None,
        merchant: str | None = None,
    ) -> str:
        """Add one transfer ``days`` after the start; returns its id."""
        transfer_id = f"T{len(self.rows) + 1:06d}"
        row: dict[str, Any] = {
            "transfer_id": transfer_id,
            "source_file": "fixture.csv",
            "record_no": len(self.rows) + 1,
            "evidence_sha256": "0" * 64,
            "channel": channel,
            "tx_type": tx_type,
            "executed_at": START + timedelta(days=days),
            "amount": float(amount),
            "currency": currency,
            "agent_city": agent_city,
            "reference": reference,
            "merchant": merchant,
        }
        row.update((sender or Person("")).side("sender") if sender else _empty("sender"))
        row.update(receiver.side("receiver") if receiver else _empty("receiver"))
        self.rows.append(row)
        return transfer_id

    def table(self) -> pa.Table:
        """The rows as an Arrow table with the ingest schema."""
        return pa.Table.from_pylist(self.rows, schema=TRANSFERS)


def _empty(side: str) -> dict[str, None]:
    return {
        f"{side}_{name}": None for name in ("name", "phone", "email", "address", "city", "country", "account", "wallet")
    }


def clean_background(log: TransferLog, people: int = 12) -> list[Person]:
    """Ordinary customers: a few remittances each, to different relatives, nothing suspicious."""
    customers = []
    for number in range(people):
        customer = Person(f"Customer{number} Ordinary", phone=f"+3247{number:07d}", city="Ghent")
        relative = Person(f"Relative{number} Family", country="MA", city="Rabat")
        for month in range(3):
            log.add(customer, relative, 150 + 10 * number + month, days=30 * month + number)
        customers.append(customer)
    return customers


def build_workspace(root: Path, log: TransferLog, posts: Sequence[dict[str, Any]] = ()) -> Workspace:
    """A workspace holding the transfers and posts, run through the whole pipeline."""
    Workspace.init(root)
    with (root / "unveil.toml").open("a", encoding="utf-8") as settings:
        settings.write("workers = 1\n")  # small data: no process pool to start
    workspace = Workspace.open(root)
    posts_file = root.parent / f"{root.name}-posts.jsonl"
    posts_file.write_text("".join(json.dumps(post) + "\n" for post in _with_defaults(posts)), "utf-8")
    ingest(workspace, [posts_file])
    append_rows(workspace, "transfers", log.table())
    record_ingest_state(workspace)
    with create_engine("duckdb", workspace.settings) as engine:
        run_pipeline(workspace, engine, all_stages())
    return workspace


def _with_defaults(posts: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for number, post in enumerate(posts, start=1):
        yield {"id": f"P{number:04d}", "platform": "fixture-ads", "posted_at": START.isoformat(), **post}


def alerts_of(workspace: Workspace, typology: str | None = None) -> list[dict[str, Any]]:
    """The alerts a run wrote (optionally of one typology)."""
    rows = workspace.table("money.alerts").read().to_pylist()
    return [row for row in rows if typology is None or row["typology"] == typology]
