"""The documented generic CSV layouts (those of the synthetic world's ``statistics/`` folder).

- police-recorded offences: ``year, judicial_district, region, offence_type, count``;
- detected victims: ``year, nationality, form_of_exploitation, sex, age_group, count``;
- judicial outcomes: ``year, judicial_district, offence_type, outcome, count``.

``count`` is a whole number or ``<5`` (suppressed). Optional columns: ``place`` (or ``country``)
where a layout has no district, ``region``, ``unit``, ``source`` (who published the row). A row
whose ``source`` says "synthetic", or a file whose leading ``#`` comments say so or that lies in a
synthetic world (beside a ``truth/`` folder), is marked ``synthetic``. Outcomes: ``convicted``
(after a trial), ``plea`` (convicted on a guilty plea), ``acquitted``, ``dismissed``, ``pending``. A cell classified by
several dimensions gives one observation per dimension, the others in ``breakdown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from unveil.stats.importers.base import ImportResult, Rejected, csv_records, is_synthetic
from unveil.stats.labels import clean_country, clean_label, parse_count
from unveil.stats.schema import TOTAL, MappingReport, Observation, format_breakdown

DEFAULT_PLACE = "All places"
COUNTRY_COLUMNS = {"nationality", "citizenship", "country"}


@dataclass(frozen=True)
class GenericLayout:
    """One generic layout: which columns it needs and what they mean."""

    name: str
    description: str
    indicator: str
    unit: str
    dimensions: tuple[str, ...]
    place_column: str | None
    extra_required: tuple[str, ...] = ()

    @property
    def required(self) -> set[str]:
        """Columns a file must have to be in this layout."""
        place = {self.place_column} if self.place_column else set()
        return {"year", "count", *self.dimensions, *self.extra_required} | place


POLICE_OFFENCES = GenericLayout(
    "police_offences",
    "police-recorded offences: year, judicial_district, region, offence_type, count",
    "offences_recorded",
    "offences",
    ("offence_type",),
    "judicial_district",
)
VICTIMS = GenericLayout(
    "victims",
    "detected victims: year, nationality, form_of_exploitation, sex, age_group, count",
    "detected_victims",
    "persons",
    ("nationality", "form_of_exploitation"),
    None,
    ("sex", "age_group"),
)
JUDICIAL_OUTCOMES = GenericLayout(
    "judicial_outcomes",
    "judicial outcomes: year, judicial_district, offence_type, outcome, count",
    "judicial_decisions",
    "persons",
    ("outcome", "offence_type"),
    "judicial_district",
)


class GenericImporter:
    """Reads one of the generic layouts."""

    def __init__(self, layout: GenericLayout) -> None:
        self.layout = layout
        self.name = layout.name
        self.description = layout.description

    def detect(self, path: Path, header: list[str]) -> bool:
        """In this layout when the header has its columns."""
        return path.suffix.lower() == ".csv" and self.layout.required <= set(header)

    def read(self, path: Path) -> ImportResult:
        """Every record as one observation per dimension."""
        source = f"{self.layout.name}:{path.name}"
        result = ImportResult(source, [], MappingReport(source))
        synthetic = is_synthetic(path)
        for number, record in csv_records(path):
            result.rows_read += 1
            try:
                year = int(record["year"].strip())
                value, flags = parse_count(record["count"])
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
        labels = {name: _clean(name, record.get(name, ""), report) for name in self.layout.dimensions}
        place = self._place(record, report)
        region = clean_label("region", record["region"], report) if record.get("region") else None
        sex = clean_label("sex", record["sex"], report) if record.get("sex") else TOTAL
        age = clean_label("age", record["age_group"], report) if record.get("age_group") else TOTAL
        observations = []
        for dimension in self.layout.dimensions:
            others = {name: label for name, label in labels.items() if name != dimension}
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
        for column in (self.layout.place_column, "place", "country"):
            if column and record.get(column, "").strip():
                return clean_label("place", record[column], report)
        return DEFAULT_PLACE


def _clean(column: str, raw: str, report: MappingReport) -> str:
    if column in COUNTRY_COLUMNS:
        return clean_country(column, raw, report)
    return clean_label(column, raw, report)
