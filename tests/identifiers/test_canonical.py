"""One identifier model: a value written in a post and in a transfer field canonicalises alike."""

from __future__ import annotations

import phonenumbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from unveil.cases.material import canonical_identifier, transfer_identifiers
from unveil.identifiers import canonical, find_identifiers
from unveil.money.transfers import normalise_email, normalise_phone, normalise_side, normalise_wallet

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Regions a Belgian investigator sees numbers of, and North America (numbers without a trunk prefix).
REGIONS = ["BE", "NL", "FR", "DE", "LU", "GB", "RO", "BG", "NG", "US", "CA", "ES", "IN", "AU", "AL", "IT", "PL"]
FORMATS = [PhoneNumberFormat.E164, PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.NATIONAL]


def _example(region: str, kind: int) -> phonenumbers.PhoneNumber | None:
    return phonenumbers.example_number_for_type(region, kind)


@st.composite
def written_phones(draw: st.DrawFn) -> tuple[str, str, str]:
    """(region, the number as someone writes it, its E.164)."""
    region = draw(st.sampled_from(REGIONS))
    number = _example(region, draw(st.sampled_from([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE])))
    assert number is not None
    written = phonenumbers.format_number(number, draw(st.sampled_from(FORMATS)))
    separator = draw(st.sampled_from([" ", ".", "-", " "]))
    return region, written.replace(" ", separator), phonenumbers.format_number(number, PhoneNumberFormat.E164)


@SETTINGS
@given(written_phones())
def test_a_phone_in_a_post_and_in_a_transfer_field_is_one_value(case: tuple[str, str, str]) -> None:
    region, written, e164 = case
    in_post = [f.value for f in find_identifiers(f"Call me {written} tonight", region) if f.type == "phone"]
    assert in_post == [e164]
    assert canonical("phone", written, region) == e164
    assert normalise_phone(written, region) == e164
    assert canonical_identifier("phone", written, region) == e164


def test_a_partial_phone_never_becomes_an_invalid_number() -> None:
    for partial in ("0470 12 34", "12", "+32 470", "555-1234"):
        assert canonical("phone", partial, "BE") is None
        assert normalise_phone(partial, "BE") is None
        assert canonical_identifier("phone", partial, "BE") == partial
    transfer = {"sender_phone": "0470 12 34", "receiver_phone": "0470 12 34 56"}
    assert transfer_identifiers(transfer, "BE") == {("phone", "+32470123456")}


LOCAL = st.from_regex(r"[a-z][a-z0-9]{0,6}(?:[._][a-z0-9]{1,6}){0,2}", fullmatch=True)
DOMAIN = st.sampled_from(["mail.be", "gmail.com", "yahoo.co.uk", "outlook.fr", "web.de"])


@SETTINGS
@given(LOCAL, DOMAIN, st.booleans(), st.booleans())
def test_an_email_in_a_post_and_in_a_transfer_field_is_one_value(
    local: str, domain: str, upper: bool, spaced: bool
) -> None:
    written = f"{local}@{domain}"
    if upper:
        written = written.title()
    in_post = [f.value for f in find_identifiers(f"mail me: {written} xx", "BE") if f.type == "email"]
    field = written.replace(".", " .", 1) if spaced else f"  {written} "
    assert in_post == [written.lower()]
    assert canonical("email", field) == written.lower()
    assert normalise_email(field) == written.lower()
    assert canonical_identifier("email", field, "BE") == written.lower()


def test_ana_pop() -> None:
    assert normalise_email("ana .pop@Mail.be") == "ana.pop@mail.be"
    assert [f.value for f in find_identifiers("ana.pop@Mail.be", "BE")] == ["ana.pop@mail.be"]


WALLETS = [
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
]


@SETTINGS
@given(st.sampled_from(WALLETS), st.sampled_from(["as written", "upper", "lower"]))
def test_a_wallet_in_a_post_and_in_a_transfer_field_is_one_value(address: str, case: str) -> None:
    case_insensitive = address.startswith(("bc1", "0x"))
    if case_insensitive and case == "upper":
        address = address.upper() if address.startswith("bc1") else "0x" + address[2:].upper()
    elif case_insensitive and case == "lower":
        address = address.lower()
    in_post = [f.value for f in find_identifiers(f"pay to {address} thanks", "BE") if f.type == "wallet"]
    assert len(in_post) == 1
    assert canonical("wallet", address) == in_post[0]
    assert normalise_wallet(f" {address} ") == in_post[0]
    assert canonical_identifier("wallet", address, "BE") == in_post[0]


def test_a_transfer_side_uses_the_same_canonical_values() -> None:
    raw = ("Ana Pop", "0470 12 34 56", "ana .pop@Mail.be", None, None, "BE", "be71 0961 2345 6769", None)
    fields, problems = normalise_side(raw, "sender", "BE")
    assert (fields["phone"], fields["email"], fields["account"]) == (
        "+32470123456",
        "ana.pop@mail.be",
        "BE71096123456769",
    )
    assert problems == ()
