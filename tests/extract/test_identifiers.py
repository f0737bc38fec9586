"""Each identifier type: find, normalise, validate, display."""

from __future__ import annotations

from unveil.extract.extractor import extract_post
from unveil.identifiers import REGISTRY, find_identifiers
from unveil.identifiers.keccak import keccak256


def values(text: str, kind: str) -> list[str]:
    return [item.value for item in find_identifiers(text, "BE") if item.type == kind]


def test_registry_has_one_class_per_type() -> None:
    assert set(REGISTRY) == {"phone", "email", "handle", "url", "iban", "wallet"}


def test_phone_normalisation_and_validation() -> None:
    phone = REGISTRY["phone"]
    assert phone.normalise("0470 12 34 56") == "+32470123456"
    assert phone.validate("+32470123456")
    assert not phone.validate("+3212")


def test_region_of_the_record_reads_national_numbers() -> None:
    assert [f.value for f in find_identifiers("06 12 34 56 78", "FR")] == ["+33612345678"]


def test_obfuscated_emails_are_lower_cased() -> None:
    assert values("Mail: Lola.B (at) GMAIL (dot) com", "email") == ["lola.b@gmail.com"]
    assert values("lotte apenstaartje telenet punt be", "email") == ["lotte@telenet.be"]
    assert values("julie arobase hotmail point fr", "email") == ["julie@hotmail.fr"]


def test_sentences_with_at_are_not_emails() -> None:
    assert values("meet me at home dot com is a joke, book online at www.site.be", "email") == []


def test_handles_from_links_and_mentions() -> None:
    found = values("snap: Lola.bxl, t.me/Anna_22, Telegram @anna_22, instagram.com/mila.be", "handle")
    assert found == ["snapchat:lola.bxl", "telegram:anna_22", "telegram:anna_22", "instagram:mila.be"]


def test_snap_me_is_not_a_handle() -> None:
    assert values("snap: me please, whatsapp: +32 470 12 34 56", "handle") == []


def test_urls_normalise_to_domains_and_skip_social_links() -> None:
    assert values("see https://WWW.Example-Escort.be/page?x=1 and t.me/abc", "url") == ["example-escort.be"]


def test_ibans_are_checked_with_their_checksum() -> None:
    assert values("IBAN BE71 0961 2345 6769.", "iban") == ["BE71096123456769"]
    assert values("IBAN BE71 0961 2345 6760.", "iban") == []


def test_wallet_checksums() -> None:
    assert values("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "wallet") == ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"]
    assert values("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "wallet") == []
    assert values("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "wallet") != []
    assert values("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "wallet") != []
    assert values("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "wallet") == []
    assert values("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "wallet") == ["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"]


def test_keccak_matches_the_published_empty_digest() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_compiled_phone_metadata_agrees_with_phonenumbers() -> None:
    import random

    import phonenumbers

    from unveil.identifiers.phonemeta import is_mobile, is_valid, number_type

    mobile_types = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    rng = random.Random(5)
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    valid = 0
    for _ in range(6_000):
        code = rng.choice([*codes, 1, 7, 31, 32, 33, 39, 40, 44, 49, 359] * 3)
        national = str(rng.randint(1, 10 ** rng.randint(4, 12)))
        number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
        assert is_valid(code, national) == phonenumbers.is_valid_number(number), (code, national)
        assert number_type(code, national) == phonenumbers.number_type(number), (code, national)
        assert is_mobile(code, national) == (phonenumbers.number_type(number) in mobile_types), (code, national)
        valid += is_valid(code, national)
    assert valid > 150


def test_numbers_read_without_the_library_parse_agree_with_it() -> None:
    """``_valid_e164`` skips ``phonenumbers.parse`` where the digits stand unchanged: same result in every region."""
    import random

    import phonenumbers

    from unveil.identifiers.phone import _read_unchanged, _valid_e164

    def library(digits: str, region: str) -> str | None:
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    rng = random.Random(9)
    unchanged = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        national = phonenumbers.national_significant_number(example) if example else "2345678"
        for _ in range(12):
            digits = national[:3] + "".join(rng.choice("0123456789") for _ in national[3:])
            if rng.random() < 0.3:
                digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(2, 18)))
            assert _valid_e164(digits, region) == library(digits, region), (digits, region)
            unchanged += _read_unchanged(digits, region) > 0
    assert unchanged > 1_500


def test_leading_digit_table_admits_every_valid_number() -> None:
    """The heads table is a filter before the patterns: it never turns a valid number away."""
    import random

    import phonenumbers

    from unveil.identifiers.phonemeta import is_valid, leading_digits

    rng = random.Random(11)
    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.national_significant_number(example)
            for _ in range(20):
                digits = national[:3] + "".join(rng.choice("0123456789") for _ in national[3:])
                number = phonenumbers.parse("+" + str(example.country_code) + digits)
                if phonenumbers.is_valid_number(number):
                    heads = leading_digits(example.country_code)
                    assert heads is None or heads.admits(digits), (region, digits)
                    assert is_valid(example.country_code, digits)
                    checked += 1
    assert checked > 3_000


def test_world_readings_agree_with_phonenumbers() -> None:
    """Every region's reading of a nationally written number is the library's (``parse`` in that region)."""
    import random

    import phonenumbers

    from unveil.identifiers.regions import world_readings

    rng = random.Random(2)
    checked = 0
    for _ in range(1_500):
        region = rng.choice(["BE", "NL", "FR", "US", "GB", "RO", "BG", "NG", "IN", "AU", "ES", "DE"])
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        assert example is not None
        national = str(example.national_number)
        digits = national[:2] + "".join(rng.choice("0123456789") for _ in national[2:])
        number = phonenumbers.PhoneNumber(country_code=example.country_code, national_number=int(digits))
        if not phonenumbers.is_valid_number(number):
            continue
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        plain = "".join(ch for ch in written if ch.isdigit())
        expected = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        assert expected in {reading.value for reading in world_readings(plain)}, (region, written)
        checked += 1
    assert checked > 300


def test_one_number_written_twice_in_a_post_is_read_in_one_country() -> None:
    # Invented: "0497 221 308" alone fits a landline of the named Dutch city's country (grouped as the
    # Netherlands write it); its unspaced copy reads as a Belgian mobile. One number, one reading.
    text = "Nu in Maastricht. Bel 0497 221 308 of whatsapp 0497221308."
    phones = [item for item in extract_post(text, None).identifiers if item.type == "phone"]
    assert [item.value for item in phones] == ["+32497221308", "+32497221308"]
    assert all(item.ambiguous for item in phones)


def test_a_trunk_prefix_written_where_a_plan_leaves_it_out_ranks_that_plan_lower() -> None:
    # Invented: "0901 234 5678" spelled out fits Nigeria (0 + 901...) and India (0 + 90123 45678); Indians
    # write their mobiles without the 0, Nigerians with it.
    text = "Call me: zero nine zero one two three four five six seven eight"
    phones = [item for item in extract_post(text, None).identifiers if item.type == "phone"]
    assert [(item.value, item.ambiguous) for item in phones] == [("+2349012345678", True)]
    assert [item.value for item in extract_post("call 9012345678", "IN").identifiers] == ["+919012345678"]
