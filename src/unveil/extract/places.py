"""Places named in a text: a gazetteer (data files in ``gazetteer/``) matched by one precompiled automaton.

Every name and alias of every gazetteer file is put into a character trie that is compiled once
into a single regular expression (a deterministic scan: each position tries one branch per
character, not one alternative per name), matched on the lower-cased text without IGNORECASE
(the engine's fast case-sensitive scan). Names that are also ordinary words ("Spa", "Mol",
"Boom", "Gent") are flagged ``case_sensitive`` and accepted only as written or in capitals.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from unveil.text import lower_cased, trie_pattern

# Order matters where two files share a name: the first wins ("Lille" is the French city, not the Belgian
# municipality of 16,000 people).
GAZETTEER_FILES = ("cities.tsv", "be_municipalities.tsv", "ports_transit.tsv", "rest_areas.tsv", "countries.tsv")
# Names of places that are far more often first names or adjectives in ads than places.
NEVER_MATCHED = frozenset({"Sofia", "Nice", "English", "Français", "Georgia"})
CITY_KINDS = ("city", "port", "rest_area")
WORD = re.compile(r"\w+")
# A place word (or a postal code) right before a name: "in Peer", "à Ans", "te As", "3990 Peer".
PLACE_CONTEXT = re.compile(
    r"(?:(?<!\w)(?:in|à|a|te|naar|van|uit|bij|nabij|near|from|to|de|du|au|aux|vers|regio|région|region|omgeving"
    r"|rond|around|centrum|centre|nach|aus|bei|im|gemeente|commune|ville|stad|visiting|located|based|downtown"
    # a postal code, not the last group of a number written in groups ("0813 220 4419 Florence")
    r"|din|във|в|из)|(?<!\d)(?<!\d[\s.\-•/_])[1-9]\d{3})[\s,:]{1,3}$",
    re.IGNORECASE,
)
CONTEXT_REACH = 16
# Marks an alias that is a common word ("~Graven" for Grez-Doiceau): read like a name of a ``needs_context`` place.
CONTEXT_MARK = "~"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry."""

    place_id: str
    name: str
    kind: str
    country: str
    lat: float | None
    lon: float | None
    case_sensitive: bool
    # The name is a common word ("As", "Ham", "Peer", "Lens"): a place only after a place word or postal code.
    needs_context: bool = False


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in a text, with its span."""

    place: Place
    start: int
    end: int


@dataclass(frozen=True)
class Gazetteer:
    """Variants (folded) -> place, the exact spellings of case-sensitive names and the compiled automaton."""

    places: dict[str, Place]
    exact: frozenset[str]
    pattern: re.Pattern[str]
    first_words: frozenset[str]
    # The same names lower-cased, matched without IGNORECASE on the lower-cased text: one scan in C.
    lowered: re.Pattern[str]
    # Folded names that are common words ("as", "peer", "graven"): places only as written and after a place word.
    context_names: frozenset[str] = frozenset()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case without accents: the key under which variants are looked up."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def read_gazetteer_rows() -> list[tuple[Place, list[str]]]:
    """Every entry of every gazetteer file with its names (name first, then aliases)."""
    return [(place, [name.removeprefix(CONTEXT_MARK) for name in names]) for place, names in _marked_rows()]


def _marked_rows() -> list[tuple[Place, list[str]]]:
    """``read_gazetteer_rows`` with the aliases that need a place word still marked ``~`` ("~Lessen")."""
    rows: list[tuple[Place, list[str]]] = []
    folder = resources.files("unveil.extract") / "gazetteer"
    for file_name in GAZETTEER_FILES:
        for line in (folder / file_name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            place_id, name, kind, country, lat, lon, aliases, case = line.split("\t")
            flag = case.strip()
            position = _coordinate(lat), _coordinate(lon)
            place = Place(place_id, name, kind, country, *position, flag in ("1", "2"), flag == "2")
            names = [name, *(alias for alias in aliases.split("|") if alias)]
            rows.append((place, [n for n in names if n not in NEVER_MATCHED]))
    return rows


def _coordinate(value: str) -> float | None:
    return float(value) if value.strip() else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded and compiled once per process."""
    places: dict[str, Place] = {}
    exact: set[str] = set()
    spellings: set[str] = set()
    context_names: set[str] = set()
    for place, marked in _marked_rows():
        for name in (name.removeprefix(CONTEXT_MARK) for name in marked):
            if CONTEXT_MARK + name in marked or (place.needs_context and name == marked[0]):
                context_names.add(fold(name))
                exact.update({name, name.upper()})
            places.setdefault(fold(name), place)
            spellings.update({name, fold(name), name.lower()})
            if place.case_sensitive:
                exact.update({name, name.upper()})
    body = trie_pattern(sorted(spellings))
    pattern = re.compile(rf"(?<![\w\-.@/])(?:{body})(?![\w\-@/]|\.\w)", re.IGNORECASE)
    first_words = frozenset(WORD.match(s).group().lower() for s in spellings if WORD.match(s))  # type: ignore[union-attr]
    # Only names that start a word can match (the scan starts at word starts), as in ``pattern``.
    lower_body = trie_pattern(sorted({s.lower() for s in spellings if WORD.match(s)}))
    lowered = re.compile(rf"(?<![\w\-.@/])(?:{lower_body})(?![\w\-@/]|\.\w)")
    return Gazetteer(places, frozenset(exact), pattern, first_words, lowered, frozenset(context_names))


def find_places(text: str) -> list[PlaceMention]:
    """Places named in ``text``, in order: the curated gazetteer, then states, counties and the world's cities
    (with a place cue)."""
    found = _find_curated(text)
    world = _find_world_cities(text, found)
    if world:
        found = sorted(found + world, key=lambda mention: mention.start)
    return found


WORLD_FILE = "world_cities.tsv.gz"
# A run of capitalised words (a name of one to four words): where a world city's name can stand.
# (The boundary is checked after the capital, so the engine skips from capital to capital in C.)
CAPITALISED = re.compile(
    r"[A-ZÀ-Þ](?<![\w\-.@/].)[^\W\d_]*(?:['’\-][^\W\d_]+)*(?:[ \-][A-ZÀ-Þ][^\W\d_]*(?:['’\-][^\W\d_]+)*){0,3}"
)
# A state, province or county code after the name ("Dallas, TX", "Parramatta, NSW"): a place cue.
REGION_AFTER = re.compile(r",\s?(?:[A-Z]{2}|NSW|VIC|QLD|TAS|ACT)\b")
# Only spaces, punctuation or emoji before the name on its line: an ad's heading ("Sydney CBD, ...").
LINE_START = re.compile(r"(?:^|\n)[^\w\n]*$")
MAX_CITY_WORDS = 4
NON_SPACE = re.compile(r"\S+")


@lru_cache(maxsize=1)
def world_cities() -> dict[str, str]:
    """Folded name or alias -> the city's row of ``world_cities.tsv.gz`` (GeoNames cities15000), most populous first.

    Names of the curated files are left out (those files decide how their names are read). Rows become
    ``Place`` objects only when named in a post (``world_place``).
    """
    import gzip

    curated = gazetteer().places
    cities: dict[str, str] = {}
    raw = (resources.files("unveil.extract") / "gazetteer" / WORLD_FILE).read_bytes()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        for key in line.rpartition("\t")[2].split("|"):
            if key not in curated and key not in cities and key.count(" ") < MAX_CITY_WORDS:
                cities[key] = line
    return cities


@lru_cache(maxsize=1)
def world_namesakes() -> dict[str, dict[str, str]]:
    """Folded name -> country -> the most populous city of that name in that country, for names that several
    countries' cities share ("Salem": India's and Oregon's). Read only when a state or county follows a name."""
    import gzip

    rows: dict[str, dict[str, str]] = {}
    raw = (resources.files("unveil.extract") / "gazetteer" / WORLD_FILE).read_bytes()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        country = line.split("\t", 3)[2]
        for key in line.rpartition("\t")[2].split("|"):
            rows.setdefault(key, {}).setdefault(country, line)
    return {key: by_country for key, by_country in rows.items() if len(by_country) > 1}


def _in_region_after(text: str, start: int, end: int, row: str) -> str:
    """``row``, or its namesake in the country of the state or county written after the name ("Salem, OR")."""
    after = COMMA_AFTER.match(text, end) or PLACE_AFTER_SPACE.match(text, end)
    if after is None:
        return row
    spellings = world_regions().spellings
    found = spellings.get(after.group(1)) or spellings.get(after.group(1).split(" ")[0])
    if found is None or found[0].country == row.split("\t", 3)[2]:
        return row
    name = text[start:end]
    return world_namesakes().get(name.lower() if name.isascii() else fold(name), {}).get(found[0].country, row)


PLACE_AFTER_SPACE = re.compile(r" ([A-Z]{2})\b")


@lru_cache(maxsize=1)
def world_first_words() -> frozenset[str]:
    """The first word of every world city's, state's or county's name or alias (a cheap test before the lookups)."""
    regions = (spelling.removeprefix("Co ").split(" ", 1)[0].lower() for spelling in world_regions().spellings)
    return frozenset([*(key.split(" ", 1)[0] for key in world_cities()), *regions])


REGIONS_FILE = "regions.tsv"
# How a state's or county's name is read (the last column of ``regions.tsv``; an alias marked "~" or "^").
REGION_FREE, REGION_CUED, REGION_AFTER_PLACE = 0, 2, 3
REGION_MARKS = {"~": REGION_CUED, "^": REGION_AFTER_PLACE}
# The place's name before a state or county ("Portland, OR", "Maidstone, Kent", "Houston TX").
PLACE_BEFORE = re.compile(
    r"([A-Z][^\W\d_]*(?:['’\-][^\W\d_]+)*(?:[ \-][A-Z][^\W\d_]*(?:['’\-][^\W\d_]+)*){0,3})(,?)\s?$"
)
COMMA_AFTER = re.compile(r",\s?([A-Z][^\W\d_]*(?: [A-Z][^\W\d_]*)?)\b")
# "Co. Antrim" (the dot ends a capitalised run): read as "Co Antrim".
COUNTY_DOT = "Co. "


@dataclass(frozen=True)
class WorldRegions:
    """States and counties (``regions.tsv``): each spelling as written (and in capitals) -> place and how it is
    read; the names whose words are joined by a lower-case word ("Isle of Wight"), matched by one pattern."""

    spellings: dict[str, tuple[Place, int]]
    joined: re.Pattern[str] | None


@lru_cache(maxsize=1)
def world_regions() -> WorldRegions:
    """The states of the United States and the counties of the United Kingdom, loaded once per process."""
    spellings: dict[str, tuple[Place, int]] = {}
    text = (resources.files("unveil.extract") / "gazetteer" / REGIONS_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        place_id, name, kind, country, _lat, _lon, aliases, flag = line.split("\t")
        rule = int(flag)
        place = Place(place_id, name, kind, country, None, None, True, rule != REGION_FREE)
        for alias in [name, *(alias for alias in aliases.split("|") if alias)]:
            how = REGION_MARKS.get(alias[0], rule if alias == name else REGION_FREE)
            spelling = alias.lstrip("~^")
            for written in {spelling, spelling.upper()}:
                spellings.setdefault(written, (place, how))
    joined = sorted((s for s in spellings if any(w[:1].islower() for w in s.split(" "))), key=len, reverse=True)
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, joined))})(?!\w)") if joined else None
    return WorldRegions(spellings, pattern)


def _region_mention(text: str, start: int, end: int) -> PlaceMention | None:
    """The state or county written at ``text[start:end]`` when its rule and cues accept it, else None."""
    name = text[start:end]
    if text.startswith(COUNTY_DOT, max(0, start - len(COUNTY_DOT))) and start >= len(COUNTY_DOT):
        found = world_regions().spellings.get("Co " + name)
        if found is not None:
            return PlaceMention(found[0], start - len(COUNTY_DOT), end)
    found = world_regions().spellings.get(name)
    if found is None:
        return None
    place, how = found
    after = COMMA_AFTER.match(text, end)
    if after is not None and place.country != "US" and _us_state_code(after.group(1)):
        return None  # "Norfolk, VA", "Kent, WA": a city of that state, not the county
    if how == REGION_FREE:
        return PlaceMention(place, start, end)
    if how == REGION_CUED and PLACE_CONTEXT.search(text, max(0, start - CONTEXT_REACH), start) is not None:
        return PlaceMention(place, start, end)
    if _after_place(text, start, place):
        return PlaceMention(place, start, end)
    return None


def _us_state_code(written: str) -> bool:
    found = world_regions().spellings.get(written)
    return found is not None and len(written) == 2 and found[0].country == "US"


def _after_place(text: str, start: int, region: Place) -> bool:
    """A place's name right before ``start``: "Portland, OR", "Maidstone, Kent"; without the comma only a place
    of the region's own country ("Houston TX"). A code that is also a country's ISO code is never read after a
    place of that country ("Toronto, CA", "Casablanca, MA")."""
    before = PLACE_BEFORE.search(text, max(0, start - 48), start)
    if before is None:
        return False
    words = before.group(1).split(" ")
    code = text[start : start + 2] if start + 2 <= len(text) and text[start : start + 2].isupper() else ""
    for first in range(len(words)):
        country = _place_country(" ".join(words[first:]))
        if country is None:
            continue
        if code and country == code and code != region.country:
            return False
        return bool(before.group(2)) or country == region.country
    return False


def _place_country(name: str) -> str | None:
    """The country of the curated place or world city named ``name`` (as written), else None."""
    key = fold(name)
    curated = gazetteer().places.get(key)
    if curated is not None:
        return curated.country if curated.kind in CITY_KINDS else None
    row = world_cities().get(name.lower() if name.isascii() else key)
    return row.split("\t", 3)[2] if row is not None else None


def _find_joined_regions(text: str, taken: list[PlaceMention]) -> list[PlaceMention]:
    """States and counties whose names hold a lower-case word ("Isle of Wight", "Tyne and Wear")."""
    pattern = world_regions().joined
    if pattern is None or (" of " not in text and " and " not in text):
        return []
    found: list[PlaceMention] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if not any(m.start < end and start < m.end for m in taken):
            mention = _region_mention(text, start, end)
            if mention is not None:
                found.append(mention)
    return found


@lru_cache(maxsize=4096)
def world_place(row: str) -> Place:
    """The ``Place`` of one row of the world cities file."""
    place_id, name, country, lat, lon, _population, _keys = row.split("\t")
    return Place(place_id, name, "city", country, _coordinate(lat), _coordinate(lon), True, True)


def _find_world_cities(text: str, taken: list[PlaceMention]) -> list[PlaceMention]:
    """Cities of the world named in ``text`` as written (capitalised) and with a place cue.

    A cue: a place word before ("in", "near", "from", "à"...), the start of a line, or a state or
    county code after ("Dallas, TX"). So "Paris Hilton", "Asian Spa", "Florence is 22" are not places.
    """
    firsts = world_first_words()
    found = _find_joined_regions(text, taken)
    taken = taken + found if found else taken
    for run in CAPITALISED.finditer(text):
        written = run.group()
        if " " not in written:  # one word (most runs): no split into words
            if written.isascii() and written.lower() not in firsts:
                continue  # a word that starts no city's name: most runs (names, a sentence's first word)
            mention = _world_mention(text, run.start(), run.end(), taken)
            if mention is not None:
                found.append(mention)
            continue
        words = [(run.start() + word.start(), run.start() + word.end()) for word in NON_SPACE.finditer(written)]
        k = 0
        while k < len(words):
            for size in range(min(MAX_CITY_WORDS, len(words) - k), 0, -1):
                mention = _world_mention(text, words[k][0], words[k + size - 1][1], taken)
                if mention is not None:
                    found.append(mention)
                    k += size - 1
                    break
            k += 1
    return found


def _world_mention(text: str, start: int, end: int, taken: list[PlaceMention]) -> PlaceMention | None:
    """The state, county or world city named at ``text[start:end]`` when read as one (not inside a place
    already found, with its cue), else None."""
    name = text[start:end]
    if (name in world_regions().spellings or text.startswith(COUNTY_DOT, start - len(COUNTY_DOT))) and not any(
        m.start < end and start < m.end for m in taken
    ):
        region = _region_mention(text, start, end)
        if region is not None:
            return region
    row = world_cities().get(name.lower() if name.isascii() else fold(name))
    if row is None or any(m.start < end and start < m.end for m in taken):
        return None
    if _world_cue(text, start, end, row):
        return PlaceMention(world_place(_in_region_after(text, start, end, row)), start, end)
    return None


# City names that are as often given names or words: read only after a place word or before a state code.
GIVEN_NAMES = frozenset(
    [
        "florence",
        "victoria",
        "paris",
        "london",
        "jackson",
        "austin",
        "madison",
        "charlotte",
        "eugene",
        "regina",
        "adelaide",
        "alexandria",
        "mobile",
        "orange",
        "asia",
        "spa",
        "lincoln",
        "chelsea",
        "kimberley",
        "maria",
        "sofia",
        "georgia",
        "santa",
        "marina",
        "angela",
        "carmen",
        "natal",
        "aurora",
        "florida",
        "columbia",
        "logos",
        "eko",
        "york",
        "hope",
        "bath",
        "reading",
        "split",
        "nice",
        "mons",
        "young",
        "latina",
        "best",
        "centro",
        "university",
        "bergen",
        "anna",
        "lola",
        "sara",
        "nora",
        "eva",
        "julie",
        "luna",
        "mila",
        "ana",
        "rosa",
        "kiki",
        "jade",
        "lisa",
        "bella",
        "goa",
        "market",
        "center",
        "tall",
        "hola",
    ]
)


def _world_cue(text: str, start: int, end: int, row: str) -> bool:
    """A place word before, a state code after; or, for the main name of a city of 100,000 people or
    more that is not also a given name or a word, the start of a line (an ad's heading)."""
    window = max(0, start - CONTEXT_REACH)
    if PLACE_CONTEXT.search(text, window, start) is not None or REGION_AFTER.match(text, end) is not None:
        return True
    after = COMMA_AFTER.match(text, end)
    if after is not None and (
        after.group(1) in world_regions().spellings or after.group(1).split(" ")[0] in world_regions().spellings
    ):
        return True  # "Ashford, Kent", "Reno, Nevada"
    key = fold(text[start:end])
    fields = row.split("\t", 6)
    if key in GIVEN_NAMES or key != fold(fields[1]) or int(fields[5]) < HEADING_POPULATION:
        return False
    return LINE_START.search(text, max(0, start - 40), start) is not None


HEADING_POPULATION = 100_000


def _find_curated(text: str) -> list[PlaceMention]:
    """Places of the curated gazetteer files named in ``text``, in order."""
    table = gazetteer()
    lowered = lower_cased(text)
    if len(lowered) != len(text):
        return _find_places_by_word(text, table)
    found: list[PlaceMention] = []
    for match in table.lowered.finditer(lowered):
        start, end = match.span()
        raw = text[start:end]
        key = fold(raw)
        place = table.places.get(key)
        if place is None or not _accepted(place, raw, key, text, start, table):
            continue
        found.append(PlaceMention(place, start, end))
    return found


def _accepted(place: Place, raw: str, key: str, text: str, start: int, table: Gazetteer) -> bool:
    """Names that are also words: only as written (or in capitals), and common words only after a place word."""
    if key in table.context_names:
        return raw in table.exact and PLACE_CONTEXT.search(text, max(0, start - CONTEXT_REACH), start) is not None
    return not place.case_sensitive or raw in table.exact


def _find_places_by_word(text: str, table: Gazetteer) -> list[PlaceMention]:
    """``find_places`` for texts whose lower-cased form is longer (spans would move): word by word."""
    found: list[PlaceMention] = []
    position = 0
    for word in WORD.finditer(text):
        if word.start() < position or word.group().lower() not in table.first_words:
            continue
        match = table.pattern.match(text, word.start())
        if match is None:
            continue
        position = match.end()
        raw = match.group()
        key = fold(raw)
        place = table.places.get(key)
        if place is None or not _accepted(place, raw, key, text, match.start(), table):
            continue
        found.append(PlaceMention(place, match.start(), match.end()))
    return found


def best_city(mentions: list[PlaceMention]) -> str | None:
    """The place a post is most about: the most named city, port or rest area (first one on ties)."""
    cities = [m.place.name for m in mentions if m.place.kind in CITY_KINDS]
    if len(cities) < 2:
        return cities[0] if cities else None
    counts: dict[str, int] = {}
    for name in cities:
        counts[name] = counts.get(name, 0) + 1
    top = max(counts.values())
    return next(name for name in cities if counts[name] == top)
