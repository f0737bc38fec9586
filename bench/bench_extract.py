"""Extraction: throughput of the whole extraction on the engine's process pool, and quality on the dev set.

Both benchmarks run beside the baseline that the issue names: ``phonenumbers.PhoneNumberMatcher``
alone, over the same posts, on the same pool, in the same run.

The posts are made by ``realistic_posts`` below: short ads, job offers and crossing offers in
Dutch, French, English, Romanian and Spanish, each with its own random phone number written in one
of the ways people write them (plain, dotted, spelled out, keycaps, letters for digits,
international, ``wa.me``), prices, ages, places and filler. It is a load generator for speed,
written independently of ``unveil_synth`` and of the lexicons.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from bench.harness import Metrics, benchmark, timed
from unveil.config import Settings
from unveil.engine import create_engine
from unveil.extract.evaluate import evaluate, evaluate_groups, matcher_finder, read_devset, unveil_finder
from unveil.extract.stage import extract_batch
from unveil.identifiers.deobfuscate import NUMBER_WORDS
from unveil.tables import TableRef, write_batches

SIZES = {"small": 20_000, "full": 1_000_000}
DEVSET = Path(__file__).resolve().parents[1] / "tests" / "extract" / "devset"
HELDOUT = DEVSET.parent / "heldout"
SUMMARY = pa.schema([("posts", pa.int64()), ("mentions", pa.int64()), ("indicators", pa.int64())])
BASELINE = pa.schema([("posts", pa.int64()), ("phones", pa.int64())])

OPENINGS = {
    "nl": ["Nieuw in {city}!", "Hallo heren, ik ben {name}.", "Vacature in {city}:", "Net aangekomen in {city}."],
    "fr": [
        "Nouvelle à {city} !",
        "Bonjour messieurs, je suis {name}.",
        "Offre d'emploi à {city} :",
        "De passage à {city}.",
    ],
    "en": ["New in {city}!", "Hi gentlemen, I am {name}.", "Job offer in {city}:", "Crossing from {city} this week."],
    "ro": ["Nouă în {city}!", "Bună, sunt {name}.", "Ofertă de muncă în {city}:", "Transport din {city}."],
    "es": ["Nueva en {city}!", "Hola, soy {name}.", "Oferta de trabajo en {city}:", "Viaje desde {city}."],
}
MIDDLES = {
    "nl": [
        "{age} jaar, lief en discreet.",
        "Prijs {price} euro per uur.",
        "Salaris {salary} euro per maand.",
        "Bel of sms.",
    ],
    "fr": [
        "{age} ans, douce et discrète.",
        "{price}€ l'heure, {night}€ la nuit.",
        "Salaire {salary} euros par mois.",
        "Appelle-moi.",
    ],
    "en": [
        "{age} years old, sweet and discreet.",
        "{price}€ per hour, {night}€ per night.",
        "{salary} euro per month, housing.",
        "Call or text.",
    ],
    "ro": ["{age} de ani, dulce.", "{price} euro pe oră.", "Salariu {salary} euro pe lună.", "Sună-mă."],
    "es": ["{age} años, cariñosa.", "{price} euros la hora.", "Salario {salary} euros al mes.", "Llámame."],
}
FILLER = ["Photos are real.", "Open every day from 10:00 to 22:00.", "Parking nearby.", "Serious people only.",
          "Réponse rapide.", "Alleen serieuze reacties.", "See you soon 😘", "Details on 12/03.", "💋💋"]  # fmt: skip
CITIES = ["Brussel", "Bruxelles", "Antwerpen", "Gent", "Liège", "Charleroi", "Brugge", "Oostende", "Namur",
          "Leuven", "Calais", "Zeebrugge", "Lille", "Rotterdam", "Hasselt", "Mons"]  # fmt: skip
NAMES = ["Anna", "Eva", "Lina", "Nora", "Ioana", "Mara", "Julie", "Sara", "Luna", "Mila"]


def written_phone(rng: random.Random, language: str) -> str:
    """A random Belgian mobile number written in one of the ways ads write them."""
    digits = f"04{rng.choice('6789')}{rng.randint(0, 9)}{rng.randint(0, 999_999):06d}"
    style = rng.randrange(8)
    if style == 0:
        return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"
    if style == 1:
        return f"{digits[:4]}/{digits[4:6]}.{digits[6:8]}.{digits[8:]}"
    if style == 2:
        words = {d: w for w, d in NUMBER_WORDS.get(language, NUMBER_WORDS["en"]).items()}
        return " ".join(words[d] for d in digits[:4]) + f" {digits[4:6]} {digits[6:8]} {digits[8:]}"
    if style == 3:
        return " ".join(d + "\ufe0f\u20e3" for d in digits)
    if style == 4:
        return "O" + digits[1:4] + f" {digits[4:6]} {digits[6:8]} {digits[8:]}"
    if style == 5:
        return f"+32 {digits[1:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"
    if style == 6:
        return f"wa.me/32{digits[1:]}"
    return digits


def realistic_post(rng: random.Random) -> str:
    """One ad-like text."""
    language = rng.choice(list(OPENINGS))
    slots = {"city": rng.choice(CITIES), "name": rng.choice(NAMES), "age": rng.randint(18, 35),
             "price": rng.choice([80, 100, 120, 150, 200]), "night": rng.choice([500, 800, 1000]),
             "salary": rng.choice([900, 1200, 1500, 1800])}  # fmt: skip
    parts = [rng.choice(OPENINGS[language]), rng.choice(MIDDLES[language]), rng.choice(MIDDLES[language])]
    parts += [*rng.sample(FILLER, 2), written_phone(rng, language)]
    return " ".join(parts).format(**slots)


# Foreign numbers in posts that give no country (issue 17): national numbers of the countries a Belgian
# investigator meets, written as their own ads write them, beside a place of that country or none at all.
FOREIGN_SHARE = 0.2  # of the benchmark's posts: no country given, a foreign number
FOREIGN_PLANS = {  # region: (national prefixes, digits after the prefix)
    "US": (("213", "310", "323", "424", "702", "713", "818", "915", "917"), 7),
    "GB": (("074", "075", "077", "078", "079"), 8),
    "FR": (("06", "07"), 8),
    "NL": (("06",), 8),
    "RO": (("072", "073", "074", "075", "076"), 7),
    "BG": (("087", "088", "089"), 7),
    "NG": (("0803", "0806", "0813", "0703", "0816"), 7),
}
FOREIGN_PLACES = {
    "US": ["Las Vegas, NV", "Houston, TX", "Miami", "Nevada", "Los Angeles", ""],
    "GB": ["London", "Manchester", "Maidstone, Kent", "Essex", "Leeds, West Yorkshire", ""],
    "FR": ["Lille", "Paris", "Lyon", "Marseille", ""],
    "NL": ["Rotterdam", "Amsterdam", "Utrecht", ""],
    "RO": ["București", "Cluj-Napoca", "Iași", ""],
    "BG": ["София", "Пловдив", "Varna", ""],
    "NG": ["Lagos", "Abuja", "Benin City", ""],
}
FOREIGN_OPENINGS = {
    "US": "{name} 💋 new in {place}. {price} hh, {night} hr. Text {phone}",
    "GB": "{name}, new girl in {place}! £{price} ph, call {phone}",
    "FR": "{name}, nouvelle à {place}. {price}€ la demi-heure. Appelle {phone}",
    "NL": "{name}, nieuw in {place}. {price} euro per uur. Bel {phone}",
    "RO": "{name}, nouă în {place}. {price} lei pe oră. Sună {phone}",
    "BG": "{name}, ново момиче, {place}. {price} лв на час. Тел {phone}",
    "NG": "{name} in {place}, available now. Call or WhatsApp {phone}",
}


MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def foreign_number(rng: random.Random, region: str) -> tuple[str, str]:
    """A valid mobile number of ``region`` (ads carry mobiles; by ``phonenumbers``' number types, so not a
    Dutch 066 pager number): (national digits, E.164)."""
    prefixes, length = FOREIGN_PLANS[region]
    while True:
        digits = (
            rng.choice(prefixes) + str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
        )
        number = phonenumbers.parse(digits, region)
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in MOBILE_TYPES:
            return digits, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def written_foreign(rng: random.Random, region: str, digits: str) -> str:
    """A foreign national number as ads write it: groups, dashes, brackets, "Tel:", a name or roses after,
    bullets, two copies."""
    if region == "US":
        groups = [digits[:3], digits[3:6], digits[6:]]
    elif region in ("FR", "NL"):
        groups = [digits[i : i + 2] for i in range(0, len(digits), 2)]
    elif region == "GB":
        groups = [digits[:5], digits[5:]]
    else:
        groups = [digits[:4], digits[4:7], digits[7:]]
    style = rng.randrange(8)
    if style == 1:
        return "-".join(groups)
    if style == 2 and region == "US":
        return f"({groups[0]}) {groups[1]}-{groups[2]}"
    if style == 3:
        return "Tel: " + " ".join(groups)
    if style == 4:
        return "-".join(groups) + " " + rng.choice(NAMES)
    if style == 5:
        return " ".join(groups) + " 🌹🌹"
    if style == 6:
        return "•".join(groups)
    if style == 7:
        return f"{digits} 💋 {digits}"
    return " ".join(groups)


def foreign_post(rng: random.Random) -> tuple[str, list[str], str]:
    """One post with a foreign number and no country: (text, E.164 of each number written, their region)."""
    region = rng.choice(list(FOREIGN_PLANS))
    digits, e164 = foreign_number(rng, region)
    place = rng.choice(FOREIGN_PLACES[region])
    phone = written_foreign(rng, region, digits)
    text = FOREIGN_OPENINGS[region].format(
        name=rng.choice(NAMES), place=place or "town", price=rng.choice([80, 100, 120, 150]),
        night=rng.choice([200, 250, 300]), phone=phone,
    )  # fmt: skip
    return f"{text} {rng.choice(FILLER)}", [e164] * (1 + phone.count("💋")), region


def foreign_records(count: int, seed: int) -> list[dict[str, object]]:
    """``count`` labelled foreign posts with no country, for precision and recall (``evaluate``)."""
    rng = random.Random(seed)
    records: list[dict[str, object]] = []
    for number in range(count):
        text, phones, region = foreign_post(rng)
        records.append({"id": f"foreign-{number}", "style": region, "text": text, "region": None, "phone": phones})
    return records


def realistic_posts(count: int, seed: int) -> Iterator[pa.RecordBatch]:
    """``count`` posts as record batches of (post_id, text, region): Belgian-style posts with their region and
    a share (``FOREIGN_SHARE``) of posts with a foreign number and no region."""
    rng = random.Random(seed)
    for first in range(0, count, 10_000):
        size = min(10_000, count - first)
        texts: list[str] = []
        regions: list[str | None] = []
        for _ in range(size):
            foreign = rng.random() < FOREIGN_SHARE
            texts.append(foreign_post(rng)[0] if foreign else realistic_post(rng))
            regions.append(None if foreign else "BE")
        yield pa.RecordBatch.from_pydict(
            {"post_id": [f"p{first + i:08d}" for i in range(size)], "text": texts, "region": regions}
        )


def whole_extraction_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The per-record work of the pipeline's extraction on one batch (the ``extract`` stage finds the
    indicators too; ``score`` only splits and sums them in SQL); returns row counts."""
    mentions = extract_batch(batch, default_region="BE")
    indicators = pc.sum(pc.equal(mentions.column("kind"), "indicator")).as_py() or 0
    return pa.RecordBatch.from_pydict(
        {"posts": [batch.num_rows], "mentions": [mentions.num_rows - indicators], "indicators": [indicators]},
        schema=SUMMARY,
    )


def matcher_batch(batch: pa.RecordBatch, region: str) -> pa.RecordBatch:
    """The baseline's per-record work: ``phonenumbers.PhoneNumberMatcher`` over every text."""
    phones = sum(
        sum(1 for _ in phonenumbers.PhoneNumberMatcher(text, region)) for text in batch.column("text").to_pylist()
    )
    return pa.RecordBatch.from_pydict({"posts": [batch.num_rows], "phones": [phones]}, schema=BASELINE)


@benchmark("extract.throughput")
def throughput(scale: str) -> Metrics:
    posts = SIZES[scale]
    settings = Settings(workers=2, batch_size=2048)
    with tempfile.TemporaryDirectory() as scratch:
        source = TableRef("bench.posts", Path(scratch) / "posts")
        schema = pa.schema([("post_id", pa.string()), ("text", pa.string()), ("region", pa.string())])
        write_batches(source.path, schema, realistic_posts(posts, seed=7))
        warm = TableRef("bench.warm", Path(scratch) / "warm-posts")
        write_batches(warm.path, schema, realistic_posts(8_192, seed=8))
        with create_engine("duckdb", settings) as engine:
            # Start the pool and load the gazetteer and lexicons in every worker before timing.
            engine.map_batches(warm, whole_extraction_batch, SUMMARY, Path(scratch) / "warm")
            with timed() as ours:
                engine.map_batches(source, whole_extraction_batch, SUMMARY, Path(scratch) / "ours")
            with timed() as base:
                engine.map_batches(source, partial(matcher_batch, region="BE"), BASELINE, Path(scratch) / "base")
        counts = TableRef("ours", Path(scratch) / "ours").read().to_pydict()
        baseline_phones = sum(TableRef("base", Path(scratch) / "base").read().column("phones").to_pylist())
    recall = _phone_recalls()
    return {
        "posts": posts,
        "workers": settings.worker_count,
        "unveil_seconds": round(ours["seconds"], 2),
        "unveil_posts_per_s": round(posts / ours["seconds"]),
        "unveil_mentions": sum(counts["mentions"]),
        "unveil_indicators": sum(counts["indicators"]),
        "baseline_matcher_seconds": round(base["seconds"], 2),
        "baseline_matcher_posts_per_s": round(posts / base["seconds"]),
        "baseline_matcher_phones": baseline_phones,
        "speed_ratio_unveil_vs_baseline": round(base["seconds"] / ours["seconds"], 2),
        "unveil_devset_phone_recall": recall["unveil"],
        "baseline_devset_phone_recall": recall["baseline"],
        "foreign_no_country_share": FOREIGN_SHARE,
    }


def _phone_recalls() -> dict[str, float]:
    records = read_devset(DEVSET)
    ours = evaluate(records, unveil_finder, ("phone",))["phone"]
    base = evaluate(records, matcher_finder, ("phone",))["phone"]
    return {"unveil": round(ours.recall, 4), "baseline": round(base.recall, 4)}


@benchmark("extract.quality")
def quality(scale: str) -> Metrics:
    records = read_devset(DEVSET)
    metrics: Metrics = {"texts": len(records)}
    for kind, score in evaluate(records, unveil_finder).items():
        metrics[f"unveil_{kind}_precision"] = round(score.precision, 4)
        metrics[f"unveil_{kind}_recall"] = round(score.recall, 4)
        metrics[f"unveil_{kind}_expected"] = score.true_positives + score.false_negatives
    base = evaluate(records, matcher_finder, ("phone",))["phone"]
    metrics["baseline_matcher_phone_precision"] = round(base.precision, 4)
    metrics["baseline_matcher_phone_recall"] = round(base.recall, 4)
    heldout = read_devset(HELDOUT)
    ours = evaluate(heldout, unveil_finder, ("phone",))["phone"]
    theirs = evaluate(heldout, matcher_finder, ("phone",))["phone"]
    metrics["heldout_texts"] = len(heldout)
    metrics["heldout_unveil_phone_precision"] = round(ours.precision, 4)
    metrics["heldout_unveil_phone_recall"] = round(ours.recall, 4)
    metrics["heldout_baseline_matcher_phone_recall"] = round(theirs.recall, 4)
    metrics.update(_no_country_quality(scale))
    return metrics


FOREIGN_TEXTS = {"small": 1_400, "full": 7_000}
WORLD_DEVSET = DEVSET.parent / "world_devset"


def _no_country_quality(scale: str = "small") -> Metrics:
    """Phone precision and recall on posts that give no country: the benchmark's foreign posts (per region of
    the number) and the hand-labelled ads of ten countries' styles (``tests/extract/world_devset``)."""
    metrics: Metrics = {}
    records = foreign_records(FOREIGN_TEXTS[scale], seed=17)
    for name, finder in (("unveil", unveil_finder), ("baseline_matcher", matcher_finder)):
        score = evaluate(records, finder, ("phone",), default_country=None)["phone"]
        metrics[f"no_country_{name}_phone_precision"] = round(score.precision, 4)
        metrics[f"no_country_{name}_phone_recall"] = round(score.recall, 4)
    metrics["no_country_texts"] = len(records)
    for region, scores in evaluate_groups(records, unveil_finder, "style", ("phone",), None).items():
        metrics[f"no_country_unveil_phone_precision_{region}"] = round(scores["phone"].precision, 4)
        metrics[f"no_country_unveil_phone_recall_{region}"] = round(scores["phone"].recall, 4)
    world = read_devset(WORLD_DEVSET)
    score = evaluate(world, unveil_finder, ("phone",), default_country=None)["phone"]
    metrics["world_devset_texts"] = len(world)
    metrics["world_devset_unveil_phone_precision"] = round(score.precision, 4)
    metrics["world_devset_unveil_phone_recall"] = round(score.recall, 4)
    heldout = read_devset(DEVSET.parent / "world_heldout")
    score = evaluate(heldout, unveil_finder, ("phone",), default_country=None)["phone"]
    metrics["world_heldout_texts"] = len(heldout)
    metrics["world_heldout_unveil_phone_precision"] = round(score.precision, 4)
    metrics["world_heldout_unveil_phone_recall"] = round(score.recall, 4)
    return metrics
