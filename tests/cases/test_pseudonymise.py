"""Pseudonymisation of every identifier kind, in every field and every format, including forms the first pass missed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from unveil.cases.exports import FORMATS, write_format
from unveil.cases.exports.pseudonymise import pseudonymise
from unveil.cases.exports.scrub import Pseudonymiser, Scrubber
from unveil.cases.material import Material

KEY = "test-secret"
TEXT = (
    "Bella 24 - call 0470 12 34 56 or zero four seven zero, one two three, four five six. "
    "Mail ana.x@example.com, IBAN BE71 0961 2345 6769, btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, "
    "telegram @ana_x_77, https://escort-ads.example.com/ad/1"
)
RAW = [
    "0470 12 34 56",
    "+32470123456",
    "zero four seven zero",
    "ana.x@example.com",
    "BE71 0961 2345 6769",
    "BE71096123456769",
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "ana_x_77",
    "escort-ads.example.com",
    "0470/99.88.77",
    "+32470998877",
    "0470998877",
    "Ana Popescu",
    "ana_author",
    "Rue Haute",
]


def hostile_material() -> Material:
    """One post whose first extraction found only one phone; the rest is in text, title, metadata, tables."""
    post = {
        "post_id": "p1",
        "kind": "ad",
        "platform": "web",
        "text": TEXT,
        "title": "Ana 0470/99.88.77 Brussels",
        "author": "ana_author",
        "url": "https://escort-ads.example.com/ad/1",
        "metadata": '{"og:url": "https://escort-ads.example.com/ad/1", "tel": "0470998877"}',
        "evidence_sha256": "a" * 64,
    }
    phone = {"post_id": "p1", "type": "phone", "value": "+32470123456", "raw": "0470 12 34 56", "start": 16}
    phone |= {"end": 29, "rule": "digits", "service": None}
    transfer = {
        "transfer_id": "t1",
        "amount": 500.0,
        "currency": "EUR",
        "sender_name": "Ana Popescu",
        "sender_phone": "0470 12 34 56",
        "sender_account": "BE71 0961 2345 6769",
        "sender_address": "1 Rue Haute",
        "receiver_name": "Ion",
        "receiver_wallet": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "reference": "for Ana Popescu 0470998877",
    }
    party = {
        "party_id": "P1",
        "name": "Ana Popescu",
        "names": ["Ana Popescu"],
        "phones": ["+32470123456"],
        "emails": ["ana.x@example.com"],
        "accounts": ["BE71096123456769"],
        "wallets": [],
        "addresses": ["1 Rue Haute"],
    }
    return Material(
        posts=[post],
        identifiers=[phone],
        networks=[{"network_id": "N1", "summary": "1 post, phone 0470 12 34 56 in Brussels"}],
        network_posts=[{"network_id": "N1", "post_id": "p1", "reason": "phone +32470123456 (with 3 other posts)"}],
        edges=[
            {
                "network_id": "N1",
                "src_post_id": "p1",
                "dst_post_id": "p1",
                "kind": "identifier",
                "key": "phone:+32470123456",
                "reason": "both give phone +32470123456",
            }
        ],
        transfers=[transfer],
        parties=[party],
        alerts=[{"alert_id": "A1", "party_id": "P1", "party_name": "Ana Popescu", "reasons": ["sent by +32470123456"]}],
    )


def written(out: Path) -> str:
    """Everything an export wrote, as text (a workbook's XML parts included)."""
    files = [out] if out.is_file() else sorted(p for p in out.rglob("*") if p.is_file())
    parts = []
    for path in files:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                parts += [book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml")]
        else:
            parts.append(path.read_text("utf-8"))
    return "\n".join(parts)


@pytest.mark.parametrize("format_name", FORMATS)
def test_every_kind_is_replaced_in_every_format(format_name: str, tmp_path: Path) -> None:
    material = pseudonymise(hostile_material(), KEY, "BE")
    out = tmp_path / {"ftm": "x.ftm.jsonl", "gexf": "x.gexf", "xlsx": "x.xlsx"}.get(format_name, "dir")
    write_format(material, format_name, out, "BE")
    text = written(out)
    assert [raw for raw in RAW if raw.lower() in text.lower()] == []
    namer = Pseudonymiser(KEY)
    for kind, value in [("phone", "+32470123456"), ("iban", "BE71096123456769"), ("phone", "+32470998877")]:
        if format_name in ("gexf", "i2") and value == "+32470998877":
            continue  # only in free text (title, reference), which the graph does not carry
        assert namer.pseudonym(kind, value) in text, (kind, value)


def test_the_second_pass_catches_what_the_first_missed() -> None:
    material = pseudonymise(hostile_material(), KEY, "BE")
    namer = Pseudonymiser(KEY)
    (post,) = material.posts
    text = post["text"]
    phone = namer.pseudonym("phone", "+32470123456")
    assert text.count(phone) == 2  # the digits (first pass) and the spelled-out number (second pass)
    for kind, value in [
        ("email", "ana.x@example.com"),
        ("iban", "BE71096123456769"),
        ("wallet", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
        ("handle", "telegram:ana_x_77"),
        ("url", "escort-ads.example.com"),
    ]:
        assert namer.pseudonym(kind, value) in text, kind
    assert post["url"] == namer.pseudonym("url", "escort-ads.example.com")
    assert namer.pseudonym("phone", "+32470998877") in post["title"]
    assert material.transfers[0]["sender_phone"] == phone == material.parties[0]["phones"][0]
    assert material.transfers[0]["sender_name"] == material.parties[0]["name"] == material.alerts[0]["party_name"]
    assert material.edges[0]["key"] == f"phone:{phone}"


def test_the_scrubber_keeps_hashes_and_words_that_only_look_alike() -> None:
    scrub = Scrubber(Pseudonymiser(KEY), "BE")
    scrub.know("Ana Popescu", "name-0000000000000000")
    digest = "2c6d54877f301c49d0e23b81e3e54ce7a58c5d516f7e49ccf8c7b2c0ebe8ae87"
    assert scrub(f"photo group {digest}") == f"photo group {digest}"
    assert scrub("ANA POPESCU paid; Ana Popescuova did not") == "name-0000000000000000 paid; Ana Popescuova did not"
    assert scrub("2 rooms x 3 nights, EUR 450") == "2 rooms x 3 nights, EUR 450"


def test_a_known_number_glued_to_a_word_is_replaced() -> None:
    scrub = Scrubber(Pseudonymiser(KEY), "BE")
    scrub.know("06-19-03-99-49", "phone-1111111111111111")
    scrub.know("917 555 4471", "phone-2222222222222222")
    glued_before = scrub("Pas de numéros masqués. Phone06-19-03-99-49")
    # the extractor may read the glued number too: its pseudonym then stands beside the known one
    assert glued_before.startswith("Pas de numéros masqués. Phonephone-") and "phone-1111111111111111" in glued_before
    assert not any(part in glued_before for part in ("06-19", "99-49"))
    glued_after = scrub("call 917 555 4471Text me")
    assert "phone-2222222222222222Text me" in glued_after and "4471" not in glued_after
    assert scrub("ref 106-19-03-99-49 kept") == "ref 106-19-03-99-49 kept"  # a longer number is another number


def test_ftm_keeps_pseudonyms_under_keywords(tmp_path: Path) -> None:
    import json

    from followthemoney import model

    material = pseudonymise(hostile_material(), KEY, "BE")
    write_format(material, "ftm", tmp_path / "x.ftm.jsonl", "BE")
    entities = [
        model.get_proxy(json.loads(line)) for line in (tmp_path / "x.ftm.jsonl").read_text("utf-8").splitlines()
    ]
    keywords: dict[str, set[str]] = {}
    for entity in entities:
        if "keywords" in entity.schema.properties:
            keywords.setdefault(entity.schema.name, set()).update(entity.get("keywords"))
    namer = Pseudonymiser(KEY)
    assert namer.pseudonym("phone", "+32470123456") in keywords["Document"] & keywords["Person"]
    assert namer.pseudonym("iban", "BE71096123456769") in keywords["BankAccount"]


def test_a_very_long_text_is_scrubbed_to_its_end() -> None:
    scrub = Scrubber(Pseudonymiser(KEY), "BE")
    text = "word " * 30_000 + "call 0470 12 34 56 " + "word " * 30_000 + "mail ana.x@example.com"
    hidden = scrub(text)
    assert "0470 12 34 56" not in hidden and "ana.x@example.com" not in hidden
    assert Pseudonymiser(KEY).pseudonym("email", "ana.x@example.com") in hidden
