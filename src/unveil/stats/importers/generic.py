"""The generic layouts: a rapporteur's own tables, in English, Dutch or French.

A file is a CSV (``,`` or ``;`` separated, UTF-8 or another detected encoding) or the first
sheet of an ``.xlsx``, long (a ``year`` and a ``count`` column) or wide (one column per year).
Headers and labels may be English, Dutch or French: ``jaar``/``année``, ``gerechtelijk
arrondissement``/``arrondissement judiciaire``/``province``, ``aantal``/``nombre``; offence types
("mensensmokkel", "traite des êtres humains - exploitation sexuelle"), prosecutors' decisions
("classement sans suite", "seponering", "citation directe"), court outcomes ("condamnation",
"veroordeling", "acquittement") and the victim-status procedure are mapped to English labels;
every mapping is recorded in the file's mapping report.

Layouts (by the columns present, after the header is translated):

- ``judicial_outcomes``: ``year, outcome, count`` (+ ``judicial_district``, ``offence_type``):
  ``convicted`` (after a trial), ``plea`` (convicted on a guilty plea), ``acquitted``,
  ``dismissed``, ``suspended pronouncement``, ``pending``;
- ``prosecutions``: ``year, decision, count`` (+ district, offence type): the prosecutor's
  decisions, ``prosecuted`` (summons, referral), ``no further action`` (classement sans suite,
  seponering), ``settlement``, ``penal mediation``, ``judicial investigation``, ``pending``;
- ``victim_status``: ``year, nationality, form_of_exploitation, status, count``: persons entering
  the victim-status procedure (``status`` says which step);
- ``victims``: ``year, nationality, form_of_exploitation, count`` (+ ``sex``, ``age_group``);
- ``police_offences``: ``year, offence_type, count`` (+ ``judicial_district``, ``region``).

``count`` is a whole number (``1.234``, ``1,234`` and ``1 234`` are 1234) or ``<5`` (suppressed);
negative or fractional counts are rejected (quarantined with the reason). Optional columns:
``place`` (or ``country``) where a layout has no district, ``region``, ``unit``, ``source``. A
row whose ``source`` says "synthetic", or a file whose leading ``#`` comments say so or that lies
in a synthetic world (its ``manifest.json`` says so), is marked ``synthetic``. A cell classified by
several dimensions gives one observation per dimension, the others in ``breakdown``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from unveil.errors import InputError
from unveil.stats.importers.base import ImportResult, Rejected, is_synthetic, read_text
from unveil.stats.labels import clean_country, clean_label, parse_count
from unveil.stats.schema import TOTAL, MappingReport, Observation, format_breakdown

DEFAULT_PLACE = "All places"
COUNTRY_COLUMNS = {"nationality", "citizenship", "country"}
_YEAR = re.compile(r"^(19|20)\d\d$")


def key(text: object) -> str:
    """A header or label compared without case, accents or punctuation: ``Année`` -> ``annee``."""
    decomposed = unicodedata.normalize("NFKD", str(text if text is not None else ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9<]+", "_", plain).strip("_")


HEADERS = {
    "year": ("year", "jaar", "annee", "an", "periode", "period"),
    "judicial_district": (
        "judicial_district", "district", "arrondissement", "gerechtelijk_arrondissement",
        "arrondissement_judiciaire", "gerechtelijke_arrondissement", "province", "provincie", "ressort",
    ),
    "region": ("region", "gewest", "regio"),
    "offence_type": (
        "offence_type", "offense_type", "offence", "offense", "type_misdrijf", "misdrijf", "type_van_misdrijf",
        "infraction", "type_d_infraction", "type_infraction", "qualification", "kwalificatie", "feit",
    ),
    "outcome": (
        "outcome", "court_outcome", "uitspraak", "vonnis", "jugement", "decision_judiciaire",
        "beslissing_rechtbank", "verdict", "resultaat",
    ),
    "decision": (
        "decision", "prosecutor_decision", "beslissing", "beslissing_parket", "decision_du_parquet",
        "orientation", "afhandeling", "stand_van_zaken",
    ),
    "nationality": ("nationality", "nationaliteit", "nationalite", "citizenship"),
    "form_of_exploitation": (
        "form_of_exploitation", "exploitation", "uitbuitingsvorm", "vorm_van_uitbuiting", "forme_d_exploitation",
        "type_d_exploitation", "type_exploitation", "type_uitbuiting",
    ),
    "sex": ("sex", "gender", "geslacht", "sexe"),
    "age_group": ("age_group", "age", "leeftijd", "leeftijdsgroep", "tranche_d_age", "classe_d_age", "groupe_d_age"),
    "count": ("count", "aantal", "nombre", "number", "n", "value", "waarde", "valeur", "persons", "personen"),
    "status": (
        "status", "statut", "statuut", "procedure", "slachtofferstatuut", "statut_de_victime", "victim_status",
    ),
    "source": ("source", "bron"),
    "place": ("place", "plaats", "lieu", "country", "land", "pays"),
    "unit": ("unit", "eenheid", "unite"),
}  # fmt: skip
_HEADER_KEYS = {alias: canonical for canonical, aliases in HEADERS.items() for alias in aliases}

OFFENCES = {
    "Trafficking sexual exploitation": (
        "trafficking_sexual_exploitation", "mensenhandel_seksuele_uitbuiting", "mensenhandel_seksuele_exploitatie",
        "traite_des_etres_humains_exploitation_sexuelle", "traite_exploitation_sexuelle", "teh_exploitation_sexuelle",
    ),
    "Trafficking labour exploitation": (
        "trafficking_labour_exploitation", "mensenhandel_economische_uitbuiting", "mensenhandel_arbeidsuitbuiting",
        "traite_des_etres_humains_exploitation_economique", "traite_exploitation_economique",
        "teh_exploitation_economique",
    ),
    "Trafficking other forms": (
        "trafficking_other_forms", "mensenhandel_andere_vormen", "mensenhandel_overige",
        "traite_des_etres_humains_autres_formes", "traite_autres_formes",
    ),
    "Migrant smuggling": (
        "migrant_smuggling", "smuggling", "mensensmokkel", "trafic_d_etres_humains", "trafic_de_migrants",
    ),
}  # fmt: skip
FORMS = {
    "Sexual exploitation": ("sexual_exploitation", "seksuele_uitbuiting", "exploitation_sexuelle"),
    "Labour exploitation": (
        "labour_exploitation", "labor_exploitation", "economische_uitbuiting", "arbeidsuitbuiting",
        "exploitation_economique", "exploitation_par_le_travail", "forced_labour",
    ),
    "Forced criminality": ("forced_criminality", "gedwongen_criminaliteit", "criminalite_forcee"),
    "Forced begging": ("forced_begging", "bedelarij", "gedwongen_bedelarij", "mendicite", "mendicite_forcee"),
    "Organ removal": ("organ_removal", "organenhandel", "wegnemen_van_organen", "prelevement_d_organes"),
}  # fmt: skip
OUTCOMES = {
    "convicted": ("convicted", "conviction", "guilty", "condamnation", "condamne", "veroordeling", "veroordeeld"),
    "plea": (
        "plea", "guilty_plea", "plaider_coupable", "reconnaissance_prealable_de_culpabilite",
        "voorafgaande_erkenning_van_schuld",
    ),
    "acquitted": ("acquitted", "acquittal", "acquittement", "acquitte", "vrijspraak", "vrijgesproken"),
    "dismissed": ("dismissed", "dismissal", "non_lieu", "buitenvervolgingstelling", "irrecevable"),
    "suspended pronouncement": (
        "suspended_pronouncement", "suspension_du_prononce", "suspension", "opschorting_van_de_uitspraak",
        "opschorting",
    ),
    "pending": ("pending", "en_cours", "lopend", "hangende", "in_behandeling"),
}  # fmt: skip
DECISIONS = {
    "prosecuted": (
        "prosecuted", "prosecution", "summons", "poursuite", "poursuivi", "citation", "citation_directe",
        "renvoi", "renvoi_devant_le_tribunal", "dagvaarding", "rechtstreekse_dagvaarding", "vervolging",
        "verwijzing", "vervolgd",
    ),
    "no further action": (
        "no_further_action", "dismissed", "classement_sans_suite", "classement", "classe_sans_suite", "seponering",
        "sepot", "geseponeerd",
    ),
    "settlement": ("settlement", "transaction", "minnelijke_schikking", "schikking", "verval_van_strafvordering"),
    "penal mediation": ("penal_mediation", "mediation_penale", "bemiddeling_in_strafzaken", "bemiddeling"),
    "judicial investigation": (
        "judicial_investigation", "instruction", "mise_a_l_instruction", "gerechtelijk_onderzoek", "onderzoek",
    ),
    "pending": ("pending", "en_cours", "lopend", "in_behandeling", "information", "opsporingsonderzoek"),
}  # fmt: skip
STATUSES = {
    "entered": ("entered", "entry", "entree", "entrees", "instroom", "toegekend", "admis", "nouveau", "new"),
    "granted": ("granted", "definitive", "definitief", "statut_definitif", "octroye"),
}  # fmt: skip
LABELS = {"offence_type": OFFENCES, "form_of_exploitation": FORMS, "outcome": OUTCOMES, "decision": DECISIONS}
LABELS["status"] = STATUSES
_LABEL_KEYS = {
    column: {alias: name for name, aliases in table.items() for alias in (*aliases, key(name))}
    for column, table in LABELS.items()
}
NOT_STATED = ("not_stated", "unknown", "onbekend", "inconnu", "inconnue", "non_precise", "niet_gekend", "nd")


@dataclass(frozen=True)
class GenericLayout:
    """One generic layout: which columns it needs and what they mean."""

    name: str
    description: str
    indicator: str
    unit: str
    dimensions: tuple[str, ...]
    required_columns: tuple[str, ...]

    @property
    def required(self) -> set[str]:
        """Columns a file must have (after translation) to be in this layout."""
        return {"year", "count", *self.required_columns}


JUDICIAL_OUTCOMES = GenericLayout(
    "judicial_outcomes",
    "court outcomes: year, [judicial_district], [offence_type], outcome, count",
    "judicial_decisions",
    "persons",
    ("outcome", "offence_type"),
    ("outcome",),
)
PROSECUTIONS = GenericLayout(
    "prosecutions",
    "prosecutors' decisions: year, [judicial_district], [offence_type], decision, count",
    "prosecution_decisions",
    "persons",
    ("decision", "offence_type"),
    ("decision",),
)
VICTIM_STATUS = GenericLayout(
    "victim_status",
    "victim-status procedure: year, nationality, form_of_exploitation, status, count",
    "victim_status_entries",
    "persons",
    ("nationality", "form_of_exploitation"),
    ("nationality", "form_of_exploitation", "status"),
)
VICTIMS = GenericLayout(
    "victims",
    "detected victims: year, nationality, form_of_exploitation, [sex], [age_group], count",
    "detected_victims",
    "persons",
    ("nationality", "form_of_exploitation"),
    ("nationality", "form_of_exploitation"),
)
POLICE_OFFENCES = GenericLayout(
    "police_offences",
    "police-recorded offences: year, [judicial_district], [region], offence_type, count",
    "offences_recorded",
    "offences",
    ("offence_type",),
    ("offence_type",),
)
LAYOUTS = (JUDICIAL_OUTCOMES, PROSECUTIONS, VICTIM_STATUS, VICTIMS, POLICE_OFFENCES)


@dataclass
class GenericTable:
    """A generic file read into canonical column names, long (one year per record)."""

    columns: list[str]
    records: list[tuple[int, dict[str, str]]]


def _rows(path: Path) -> list[list[str]]:
    """All rows of a CSV (``,`` or ``;``) or of an xlsx file's first sheet, leading ``#`` comments skipped."""
    if path.suffix.lower() == ".xlsx":
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types for damaged files
            raise InputError(path, f"not a readable spreadsheet: {exc}") from exc
        rows = [[_cell(c) for c in row] for row in sheet]
    else:
        lines = read_text(path).splitlines()
        body = [line for line in lines if not line.startswith("#")]
        first = next((line for line in body if line.strip()), "")
        delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
        rows = list(csv.reader(io.StringIO("\n".join(body)), delimiter=delimiter))
    while rows and not any(str(c).strip() for c in rows[0]):
        rows.pop(0)
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def canonical_header(raw: list[str]) -> list[str]:
    """Header names translated to the canonical ones (years kept as they are)."""
    names = []
    for name in raw:
        k = key(name)
        names.append(k if _YEAR.match(k) else _HEADER_KEYS.get(k, k))
    return names


@lru_cache(maxsize=32)
def _table(path: Path, _stamp: tuple[int, int]) -> tuple[list[str], list[list[str]]]:
    rows = _rows(path)
    if not rows:
        return [], []
    names = canonical_header(rows[0])
    if "decision" in names and "outcome" not in names:
        # a "décision"/"beslissing" column holding court outcomes ("condamnation") is the outcome
        column = names.index("decision")
        labels = {key(row[column]) for row in rows[1:500] if column < len(row)}
        outcome_only = set(_LABEL_KEYS["outcome"]) - set(_LABEL_KEYS["decision"])
        if labels & outcome_only:
            names[column] = "outcome"
    return names, rows[1:]


def _load(path: Path) -> tuple[list[str], list[list[str]]]:
    status = path.stat()
    return _table(path, (status.st_mtime_ns, status.st_size))


def header_columns(path: Path) -> set[str]:
    """The canonical columns a generic file has (a wide file has ``year`` and ``count``)."""
    try:
        names, _ = _load(path)
    except (InputError, OSError, UnicodeDecodeError, csv.Error):
        return set()
    columns = {n for n in names if not _YEAR.match(n)}
    if any(_YEAR.match(n) for n in names):
        columns |= {"year", "count"}
    return columns


def read_generic(path: Path) -> GenericTable:
    """The file's records with canonical keys; a wide file becomes one record per year column."""
    names, rows = _load(path)
    if not names:
        raise InputError(path, "empty file")
    years = [(i, n) for i, n in enumerate(names) if _YEAR.match(n)]
    records: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        if not any(str(c).strip() for c in row):
            continue
        cells = dict(zip(names, (str(c) for c in row), strict=False))
        if not years:
            records.append((number, cells))
            continue
        fixed = {n: v for n, v in cells.items() if not _YEAR.match(n)}
        for index, year in years:
            value = row[index] if index < len(row) else ""
            if str(value).strip() == "":
                continue
            records.append((number, {**fixed, "year": year, "count": str(value)}))
    columns = sorted({n for n in names if not _YEAR.match(n)} | ({"year", "count"} if years else set()))
    return GenericTable(columns, records)


def map_label(column: str, raw: str, report: MappingReport) -> str:
    """A label in English: known Dutch and French terms translated, others tidied."""
    k = key(raw)
    if not k or k in NOT_STATED:
        report.record(column, raw, "Not stated", "not stated")
        return "Not stated"
    table = _LABEL_KEYS.get(column, {})
    found = table.get(k)
    if found is None:
        found = next((name for alias, name in table.items() if len(alias) > 4 and k.startswith(alias)), None)
    if found is not None:
        report.record(column, raw, found, "English, Dutch or French term")
        return found
    if column in COUNTRY_COLUMNS:
        return clean_country(column, raw, report)
    return clean_label(column, raw, report)


class GenericImporter:
    """Reads one of the generic layouts."""

    def __init__(self, layout: GenericLayout) -> None:
        self.layout = layout
        self.name = layout.name
        self.description = layout.description

    def detect(self, path: Path, header: list[str]) -> bool:
        """In this layout when the translated header has its columns (and no other layout's before it)."""
        if path.suffix.lower() not in (".csv", ".xlsx"):
            return False
        return self.layout.required <= header_columns(path)

    def read(self, path: Path) -> ImportResult:
        """Every record as one observation per dimension."""
        source = f"{self.layout.name}:{path.name}"
        result = ImportResult(source, [], MappingReport(source))
        synthetic = is_synthetic(path)
        table = read_generic(path)
        for number, record in table.records:
            result.rows_read += 1
            try:
                year = int(str(record["year"]).strip()[:4])
                value, flags = parse_count(record["count"], whole=True)
            except (KeyError, ValueError, AttributeError) as exc:
                result.rejected.append(Rejected(source, number, f"unreadable year or count: {exc}"))
                continue
            marked = synthetic or "synthetic" in record.get("source", "").lower()
            result.observations.extend(self._observations(number, year, value, flags, record, result, marked))
        return result

    def _observations(
        self,
        number: int,
        year: int,
        value: float | None,
        flags: str,
        record: dict[str, str],
        result: ImportResult,
        synthetic: bool,
    ) -> list[Observation]:
        report = result.mapping
        dimensions = [d for d in self.layout.dimensions if d in self.layout.required or record.get(d, "").strip()]
        labels = {name: map_label(name, record.get(name, ""), report) for name in dimensions}
        if self.layout is VICTIM_STATUS and record.get("status"):
            labels_extra = {"status": map_label("status", record["status"], report)}
        else:
            labels_extra = {}
        place = self._place(record, report)
        region = clean_label("region", record["region"], report) if record.get("region", "").strip() else None
        sex = clean_label("sex", record["sex"], report) if record.get("sex", "").strip() else TOTAL
        age = clean_label("age", record["age_group"], report) if record.get("age_group", "").strip() else TOTAL
        observations = []
        for dimension in dimensions:
            others = {name: label for name, label in labels.items() if name != dimension} | labels_extra
            observations.append(
                Observation(
                    indicator=self.layout.indicator,
                    dimension=dimension,
                    category=labels[dimension] or "Not stated",
                    place=place,
                    year=year,
                    value=value,
                    unit=record.get("unit") or self.layout.unit,
                    flags=flags,
                    source=result.source,
                    source_row=number,
                    region=region,
                    sex=sex,
                    age=age,
                    breakdown=format_breakdown(others),
                    synthetic=synthetic,
                )
            )
        return observations

    def _place(self, record: dict[str, str], report: MappingReport) -> str:
        for column in ("judicial_district", "place"):
            if record.get(column, "").strip():
                return clean_label("place", record[column], report)
        return DEFAULT_PLACE
