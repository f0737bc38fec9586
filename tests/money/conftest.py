"""One small transfer world with a positive case and a near miss for every detector, run once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.money.builders import Person, TransferLog, build_workspace, clean_background
from unveil.workspace import Workspace

BOSS_PHONE = "+32470999999"
VICTIMS = ("Ana Marin", "Elena Stan", "Ioana Dima", "Daria Lupu", "Sofia Radu")
POSTS = [
    {"text": "New in Ghent! Sweet Anna, call or WhatsApp +32 470 99 99 99"},
    {"text": "Safe crossing to UK by truck, 2500 EUR per person, ask on Telegram"},
    {"text": "Relax massage 100 EUR per hour, Antwerp, call 0470 11 22 33"},
]


def _many_senders(log: TransferLog) -> None:
    boss = Person("Viktor Boss", phone=BOSS_PHONE, account="BE71096123456769", country="RO")
    for i, name in enumerate(VICTIMS):
        log.add(Person(name, phone=BOSS_PHONE if i < 2 else f"+3247300000{i}"), boss, 300 + 10 * i, days=2 * i)
    near = Person("Near Receiver", phone="+32475000111")
    for i in range(3):
        log.add(Person(f"Friend{i} Sender", country="FR"), near, 200, days=3 * i)
    collector = Person("Regular Collector", phone="+32475000112", country="BG")
    for week in range(3):
        for i in range(3):
            log.add(Person(f"Earner{i} Handover", country="BE"), collector, 250 + 10 * i, days=21 * week + i)


def _landlord_and_labour(log: TransferLog) -> None:
    employer = Person("Bouw Services NV", account="BE68539007547034")
    landlord = Person("Louis Landlord", account="BE62510007547061")
    labour_boss = Person("Kamil Gangmaster", phone="+32476000222")
    for month in range(3):
        for i in range(5):
            tenant = Person(f"Tenant{i} Renter", phone=f"+3247800020{i}")
            worker = Person(f"Worker{i} Labourer", phone=f"+3247700010{i}")
            log.add(employer, tenant, 2600, days=30 * month, channel="bank")
            log.add(tenant, landlord, 800, days=30 * month + 2, channel="bank", reference="huur")
            log.add(employer, worker, 1700, days=30 * month, channel="bank")
            log.add(worker, labour_boss, 1400, days=30 * month + 2, channel="bank", reference="rent")


def _cash_structuring_funnel(log: TransferLog) -> None:
    mover = Person("Cash Mover", phone="+32478000333", account="BE43068999999501")
    for cycle in range(3):
        log.add(None, mover, 3000, days=20 * cycle, tx_type="cash_deposit", channel="bank", agent_city="Ghent")
        log.add(mover, Person("Mama Mover", country="NG"), 2500, days=20 * cycle + 1, channel="bank")
    once = Person("Once Mover", phone="+32478000444")
    log.add(None, once, 3000, days=5, tx_type="cash_deposit", channel="bank", agent_city="Ghent")
    log.add(once, Person("Papa Once", country="FR"), 2500, days=6, channel="bank")
    iban_mover = Person("Iban Mover", phone="+32478000777")
    home_mover = Person("Home Mover", phone="+32478000888")
    for cycle in range(2):  # bank statements: the counterparty's IBAN, no country written
        log.add(None, iban_mover, 4000, days=30 * cycle, tx_type="cash_deposit", channel="bank", agent_city="Namur")
        log.add(iban_mover, Person("Sorin Home", country=None, account="RO63BTRL0000123456789012"), 3500,
                days=30 * cycle + 2, channel="bank")  # fmt: skip
        log.add(None, home_mover, 4000, days=30 * cycle, tx_type="cash_deposit", channel="bank", agent_city="Namur")
        log.add(home_mover, Person("Jan Home", country=None, account="BE52063999999509"), 3500,
                days=30 * cycle + 2, channel="bank")  # fmt: skip
    splitter = Person("Split Sender", phone="+32479000555")
    for i, amount in enumerate((950, 960, 980)):
        log.add(splitter, Person(f"Payee{i} Abroad", country="MA"), amount, days=5 * i)
    careful = Person("Careful Sender", phone="+32479000666")
    for i, amount in enumerate((950, 700, 960)):
        log.add(careful, Person(f"Cousin{i} Abroad", country="MA"), amount, days=5 * i)
    holder = Person("Straw Holder", account="BE56001234567888")
    for i, city in enumerate(("Ghent", "Liège", "Namur", "Bruges")):
        log.add(None, holder, 2000, days=i, tx_type="cash_deposit", channel="bank", agent_city=city)
    log.add(holder, Person("Far Away", country="BG"), 7000, days=4.5, channel="bank")
    shop = Person("Bakkerij Centrum", account="BE71096123456768")
    for month in range(4):
        log.add(None, shop, 2500, days=30 * month, tx_type="cash_deposit", channel="bank", agent_city="Ghent")


def _card_payments(log: TransferLog) -> None:
    buyer = Person("Ad Buyer", phone="+32472000777")
    for week in range(4):
        log.add(buyer, None, 49.0, days=7 * week, tx_type="payment", channel="card", merchant="VIVASTREET.BE")
    casual = Person("Casual Client", phone="+32472000888")
    for week in range(2):
        log.add(casual, None, 29.0, days=7 * week, tx_type="payment", channel="card", merchant="VIVASTREET.BE")
    payer = Person("Room Payer", phone="+32472000999")
    for fortnight in range(3):
        log.add(payer, None, 450, days=14 * fortnight, tx_type="payment", channel="card",
                merchant="HOTEL IBIS GENT", reference="3 rooms x 4 nights")  # fmt: skip
    traveller = Person("Family Traveller", phone="+32472001000")
    for trip in range(2):
        log.add(traveller, None, 400, days=90 * trip, tx_type="payment", channel="card",
                merchant="HOTEL NOVOTEL BRUGGE", reference="2 rooms")  # fmt: skip


def _smuggling(log: TransferLog) -> None:
    collector = Person("Omar Collector", phone="+32465000123")
    for i, people in enumerate((1, 1, 2, 3)):
        log.add(Person(f"Payer{i} Relative", country="DE"), collector, 2500 * people, days=4 * i)
    other = Person("Other Receiver", phone="+32465000456")
    for i in range(3):
        log.add(Person(f"Buyer{i} Goods", country="NL"), other, 1800, days=4 * i)


def _spelling_variants(log: TransferLog) -> None:
    ion = Person("Ion Popescu", phone="+40721000001", address="Strada Mare 1", country="RO")
    variant = Person("POPESCU Ioan", phone="+40721000001", address="Strada Mare 1", country="RO")
    stranger = Person("Maria Dobre", phone="+40721000001", country="RO")
    for number, person in enumerate((ion, variant, stranger)):
        log.add(person, Person("Shop Receiver", country="BE"), 100 + number, days=number)
    karim = Person("Karim Leroy", account="BE49063999996071", country=None)
    initial = Person("K. Leroi", account="BE49063999996071", country=None)
    kevin = Person("Kevin Leroy", phone="+32471000321", country="BE")
    other = Person("Karl Leroy", phone="+32471000321", country="BE")
    for number, person in enumerate((karim, initial, kevin, other)):
        log.add(person, Person("Garage Receiver", country="BE"), 200 + number, days=number)


@pytest.fixture(scope="session")
def money_world(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The fixture world run through the whole pipeline (treat as read-only)."""
    log = TransferLog()
    clean_background(log)
    for plant in (_many_senders, _landlord_and_labour, _cash_structuring_funnel, _card_payments, _smuggling,
                  _spelling_variants):  # fmt: skip
        plant(log)
    root: Path = tmp_path_factory.mktemp("money") / "ws"
    return build_workspace(root, log, POSTS)
